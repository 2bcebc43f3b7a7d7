import type { Timings } from '../../machines/examiner/types.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The official speaking-test timings we follow (see the IELTS rules in the design notes):
 * Part 1 moves on at 5:00, preparation is exactly 60 s, the long turn stops at 2:00, rounding-off
 * is skipped once Part 2 has passed 3:00, Part 3 ends by 5:00 and the test by 14:00.
 */
export const OFFICIAL_TIMINGS: Timings = {
  introMaxMs: 90 * SECOND,
  part1Ms: 5 * MINUTE,
  prepMs: 60 * SECOND,
  longTurnMs: 2 * MINUTE,
  longTurnMinMs: 60 * SECOND,
  roundingOffCutoffMs: 3 * MINUTE,
  part2MaxMs: 4 * MINUTE,
  part3Ms: 5 * MINUTE,
  testMaxMs: 14 * MINUTE,
  closingReserveMs: 20 * SECOND,
  noAnswerMs: 15 * SECOND,
  suspendGraceMs: 2 * MINUTE,
};
