import type { SpeakingMeasures, SpeakingTurnInput } from './ports/scorer.ts';

/**
 * Fluency measures from what the voice-activity detector saw: how long the candidate spoke, how
 * often and how long they paused inside their turns, and the mean length of run (the stretch of
 * speech between pauses), in time since syllables need a transcript.
 */
export function fluencyMeasures(turns: SpeakingTurnInput[]): SpeakingMeasures {
  const speakingTimeMs = sum(turns.map((t) => t.speechMs));
  const pauseCount = sum(turns.map((t) => t.pauseCount));
  const pauseMs = sum(turns.map((t) => t.pauseMs));
  const runs = turns.flatMap((t) => t.runsMs);
  const minutes = speakingTimeMs / 60_000;
  return {
    speakingTimeMs,
    turns: turns.length,
    pausesPerMinute: minutes > 0 ? round1(pauseCount / minutes) : 0,
    meanPauseMs: pauseCount > 0 ? Math.round(pauseMs / pauseCount) : 0,
    meanLengthOfRunMs: runs.length > 0 ? Math.round(sum(runs) / runs.length) : 0,
    transcribedTurns: turns.filter((t) => t.transcript !== null).length,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
