/**
 * Question-bank shapes. Everything is plain data so a TestPlan can be stored, logged and sent to
 * the client as JSON without a mapping layer.
 */

/** A Part 1 topic; `family` groups near-duplicates so one test never asks about the same area twice. */
export interface Part1Topic {
  id: string;
  title: string;
  family: string;
  /** Spoken by the examiner before the first question, e.g. "Let's talk about music." */
  intro: string;
  /** 3-4 questions, asked in order. */
  questions: string[];
}

/** A Part 3 discussion theme; questions rise from describe to compare, evaluate, speculate. */
export interface Part3Theme {
  id: string;
  title: string;
  questions: string[];
}

export interface CueCard {
  id: string;
  family: string;
  title: string;
  /** "Describe a ..." */
  prompt: string;
  /** The "You should say:" lines. */
  bullets: [string, string, string];
  /** Always starts with "and explain". */
  explain: string;
  /** Short follow-ups the examiner asks once the long turn ends. */
  roundingOff: [string, string];
  part3: [Part3Theme, Part3Theme];
}

export interface TestPlan {
  seed: string;
  frame: Part1Topic;
  part1Topics: [Part1Topic, Part1Topic];
  cueCard: CueCard;
  /** The cue card's two themes, in order. */
  part3: Part3Theme[];
}
