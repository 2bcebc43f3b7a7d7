export { cueCards } from './cue-cards.ts';
export { frames } from './frames.ts';
export { part1Topics } from './part1-topics.ts';
export { selectTestPlan } from './select.ts';
export type { CueCard, Part1Topic, Part3Theme, TestPlan } from './types.ts';
