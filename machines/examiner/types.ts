/** What the examiner says: one line, and whether the examiner then waits for an answer. */
export interface Line {
  id: string;
  text: string;
  expectsAnswer: boolean;
}

export interface CueCardView {
  id: string;
  title: string;
  prompt: string;
  bullets: string[];
  explain: string;
}

/** The whole script of one test, chosen before it starts so a restored actor says the same. */
export interface ExaminerScript {
  intro: Line[];
  part1: Line[];
  part2: {
    card: CueCardView;
    handOver: Line;
    startTalking: Line;
    nudge: Line;
    stop: Line;
    roundingOff: Line[];
  };
  part3: Line[];
  closing: Line;
}

/** Official timings (ms); the service passes the real ones, tests may pass their own. */
export interface Timings {
  introMaxMs: number;
  part1Ms: number;
  prepMs: number;
  longTurnMs: number;
  /** A long turn that ends before this gets one nudge to go on. */
  longTurnMinMs: number;
  /** Rounding-off questions are skipped once Part 2 has run this long. */
  roundingOffCutoffMs: number;
  part2MaxMs: number;
  part3Ms: number;
  testMaxMs: number;
  /** Part 3 ends this long before the test cap, so the closing line still fits. */
  closingReserveMs: number;
  noAnswerMs: number;
  suspendGraceMs: number;
}

/** Absolute clock times (ms). Null when not armed. Suspension shifts every one of them. */
export interface ExaminerTimes {
  testStartedAt: number;
  partStartedAt: number | null;
  partEndsAt: number | null;
  phaseStartedAt: number | null;
  phaseEndsAt: number | null;
  answerDueAt: number | null;
  suspendedAt: number | null;
  graceEndsAt: number | null;
}

export type PartName = 'intro' | 'part1' | 'part2' | 'part3';

export interface ExaminerFailure {
  code: 'SUSPEND_EXPIRED' | 'SCORING_FAILED' | 'ENGINE_FAILED' | 'ABORTED';
  message: string;
}

export interface ExaminerContext {
  machineVersion: number;
  sessionId: string;
  script: ExaminerScript;
  timings: Timings;
  /** Index of the line being asked in the current part (or rounding-off list). */
  cursor: number;
  nudged: boolean;
  times: ExaminerTimes;
  examinerTurns: number;
  candidateTurns: number;
  /** The scorer's answer, plain JSON. */
  result: unknown;
  failure: ExaminerFailure | null;
}

export interface ExaminerInput {
  sessionId: string;
  script: ExaminerScript;
  timings: Timings;
  /** Clock time the test starts at. */
  at: number;
}

/** Meaning-level events only: never audio. Every external event carries its clock time. */
export type ExaminerEvent =
  | { type: 'EXAMINER_DONE'; at: number }
  | { type: 'CANDIDATE_STARTED'; at: number }
  | { type: 'CANDIDATE_STOPPED'; at: number }
  | { type: 'PART_TIME_UP'; at: number }
  | { type: 'PHASE_TIME_UP'; at: number }
  | { type: 'ANSWER_WAIT_UP'; at: number }
  | { type: 'GRACE_UP'; at: number }
  | { type: 'SUSPEND'; at: number }
  | { type: 'RESUME'; at: number }
  | { type: 'ABORT'; at: number; code: ExaminerFailure['code']; message: string };

export type TimerEventType = 'PART_TIME_UP' | 'PHASE_TIME_UP' | 'ANSWER_WAIT_UP' | 'GRACE_UP';

export interface TimerInput {
  at: number | null;
  event: TimerEventType;
}

export interface SpeakInput {
  line: Line;
}

export interface ScoreInput {
  sessionId: string;
}
