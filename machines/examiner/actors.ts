import { fromCallback, fromPromise } from 'xstate';
import type { ScoreInput, SpeakInput, TimerInput } from './types.ts';

/**
 * The machine's effects, by name. The machine only holds placeholders; the service provides the
 * real ones with `machine.provide({ actors })`, so the statechart itself does no I/O.
 */
export interface Clockish {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * A timer given an absolute deadline. XState does not restore `after` timers, but it restarts
 * invoked callbacks with their persisted input, so a restored actor fires at the same moment
 * (or at once, if the deadline passed while no node ran it).
 */
export function deadlineTimer(clock: Clockish) {
  return fromCallback<{ type: string }, TimerInput>(({ input, sendBack }) => {
    const at = input.at;
    if (at === null) return;
    const handle = clock.setTimeout(
      () => sendBack({ type: input.event, at }),
      Math.max(0, at - clock.now()),
    );
    return () => clock.clearTimeout(handle);
  });
}

export const placeholderActors = {
  deadlineTimer: fromCallback<{ type: string }, TimerInput>(() => {
    throw new Error('deadlineTimer must be provided');
  }),
  speakLine: fromCallback<{ type: string }, SpeakInput>(() => {
    throw new Error('speakLine must be provided');
  }),
  scoreTest: fromPromise<unknown, ScoreInput>(() =>
    Promise.reject(new Error('scoreTest must be provided')),
  ),
};
