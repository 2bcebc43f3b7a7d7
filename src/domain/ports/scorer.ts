/** A criterion's band, or null when this scorer could not measure it (and says why). */
export interface CriterionScore {
  band: number | null;
  feedback: string;
  evidence: string[];
}

export interface SpeakingTurnInput {
  part: 'intro' | 'part1' | 'part2' | 'part3';
  speechMs: number;
  pauseCount: number;
  pauseMs: number;
  runsMs: number[];
  transcript: string | null;
}

export interface SpeakingScoreInput {
  sessionId: string;
  turns: SpeakingTurnInput[];
}

export interface SpeakingMeasures {
  speakingTimeMs: number;
  turns: number;
  pausesPerMinute: number;
  meanPauseMs: number;
  meanLengthOfRunMs: number;
  transcribedTurns: number;
}

export interface SpeakingResult {
  kind: 'speaking';
  /** Always true here: these are estimates, never official IELTS results. */
  estimate: true;
  overall: number | null;
  rawMean: number | null;
  criteria: { FC: CriterionScore; LR: CriterionScore; GRA: CriterionScore; P: CriterionScore };
  /** Criteria the overall band was computed from. */
  basis: Array<'FC' | 'LR' | 'GRA' | 'P'>;
  notMeasured: string[];
  measures: SpeakingMeasures;
  engine: string;
  scorerVersion: string;
}

/** The Scorer port: the offline estimate locally, Nova Micro in production. */
export interface Scorer {
  scoreSpeaking(input: SpeakingScoreInput): Promise<SpeakingResult>;
}
