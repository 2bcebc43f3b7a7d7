import { createActor, SimulatedClock, type Snapshot } from 'xstate';
import {
  type ExaminerScript,
  type Line,
  type PublicStateName,
  publicStateName,
  statePath,
  type Timings,
} from '../../machines/examiner/index.ts';
import { OFFICIAL_TIMINGS } from '../../src/domain/timings.ts';
import { provideExaminer } from '../../src/examiner/session/examiner-actor.ts';

const line = (id: string, expectsAnswer = true): Line => ({
  id,
  text: `line ${id}?`,
  expectsAnswer,
});

export function fixtureScript(): ExaminerScript {
  return {
    intro: [line('intro.0'), line('intro.1'), line('intro.2'), line('intro.3', false)],
    part1: Array.from({ length: 12 }, (_, i) => line(`part1.${i}`)),
    part2: {
      card: {
        id: 'card',
        title: 't',
        prompt: 'Describe a place',
        bullets: ['a', 'b', 'c'],
        explain: 'and explain why',
      },
      handOver: line('part2.handOver', false),
      startTalking: line('part2.start', false),
      nudge: line('part2.nudge', false),
      stop: line('part2.stop', false),
      roundingOff: [line('part2.round.0'), line('part2.round.1')],
    },
    part3: Array.from({ length: 10 }, (_, i) => line(`part3.${i}`)),
    closing: line('closing', false),
  };
}

export interface CandidateModel {
  /** Delay after the examiner finishes before the candidate starts (ms). */
  startAfterMs(state: string): number | null;
  /** How long the candidate speaks once started (ms). */
  answerMs(state: string): number;
}

export const steadyCandidate: CandidateModel = {
  startAfterMs: () => 1000,
  answerMs: (state) => (state.includes('talking') ? 130_000 : 15_000),
};

/**
 * Runs the examiner on a simulated clock with a fake voice (each line takes `lineMs`) and a
 * scripted candidate who answers when the examiner listens.
 */
export function startExaminer(
  options: {
    candidate?: CandidateModel;
    lineMs?: number;
    timings?: Partial<Timings>;
    snapshot?: Snapshot<unknown>;
    clock?: SimulatedClock;
    score?: (sessionId: string) => Promise<unknown>;
  } = {},
) {
  const clock = options.clock ?? new SimulatedClock();
  const lineMs = options.lineMs ?? 3000;
  const spoken: string[] = [];
  const visits: Array<{ state: PublicStateName; at: number }> = [];
  const paths: Array<{ path: string; at: number }> = [];
  const machine = provideExaminer({
    clock,
    speakLine: (l, signal) =>
      new Promise((resolve, reject) => {
        spoken.push(l.id);
        const h = clock.setTimeout(resolve, lineMs);
        signal.addEventListener('abort', () => {
          clock.clearTimeout(h);
          reject(new Error('aborted'));
        });
      }),
    scoreTest: options.score ?? (async () => ({ overall: 6 })),
  });
  const actor = createActor(machine, {
    clock,
    ...(options.snapshot
      ? { snapshot: options.snapshot as never, input: undefined as never }
      : {
          input: {
            sessionId: 's-1',
            script: fixtureScript(),
            timings: { ...OFFICIAL_TIMINGS, ...options.timings },
            at: clock.now(),
          },
        }),
  });
  const candidate = options.candidate ?? steadyCandidate;
  let pending: number[] = [];
  let lastPath = '';
  actor.subscribe((snap) => {
    const name = publicStateName(snap);
    if (visits.at(-1)?.state !== name) visits.push({ state: name, at: clock.now() });
    const path = statePath(snap);
    if (path === lastPath) return;
    lastPath = path;
    paths.push({ path, at: clock.now() });
    for (const h of pending) clock.clearTimeout(h);
    pending = [];
    if (path.endsWith('listening') || path.endsWith('talking')) {
      const start = candidate.startAfterMs(path);
      if (start === null) return;
      pending.push(
        clock.setTimeout(() => {
          actor.send({ type: 'CANDIDATE_STARTED', at: clock.now() });
          pending.push(
            clock.setTimeout(
              () => actor.send({ type: 'CANDIDATE_STOPPED', at: clock.now() }),
              candidate.answerMs(path),
            ),
          );
        }, start),
      );
    }
  });
  actor.start();
  return {
    actor,
    clock,
    spoken,
    visits,
    paths,
    state: () => publicStateName(actor.getSnapshot()),
    path: () => statePath(actor.getSnapshot()),
    /** Moves simulated time forward in small steps so chained timers fire in order. */
    async advance(ms: number, step = 100) {
      for (let t = 0; t < ms; t += step) {
        clock.increment(Math.min(step, ms - t));
        await settle();
      }
    },
    /** Advances until `predicate` holds (or `maxMs` passes); returns the time it took. */
    async advanceUntil(predicate: () => boolean, maxMs = 20 * 60_000, step = 100) {
      const start = clock.now();
      await settle();
      while (!predicate() && clock.now() - start < maxMs) {
        clock.increment(step);
        await settle();
      }
      return clock.now() - start;
    },
  };
}

/** Lets promise callbacks (the effects' resolutions) run before simulated time moves on. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function firstVisit(visits: Array<{ state: string; at: number }>, state: string) {
  return visits.find((v) => v.state === state)?.at;
}
