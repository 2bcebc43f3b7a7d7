import { assign, setup } from 'xstate';
import { placeholderActors } from './actors.ts';
import { currentLine, linesOf, type QaPart, qaLoop, qaPart, timer } from './qa-part.ts';
import type {
  ExaminerContext,
  ExaminerEvent,
  ExaminerInput,
  ExaminerTimes,
  Line,
  TimerEventType,
} from './types.ts';

/** Bump when the shape of context or the state tree changes; restores check it. */
export const MACHINE_VERSION = 1;

type At = { at: number };

function withTimes(context: ExaminerContext, patch: Partial<ExaminerTimes>): ExaminerTimes {
  return { ...context.times, ...patch };
}

export const examinerMachine = setup({
  types: {
    context: {} as ExaminerContext,
    events: {} as ExaminerEvent,
    input: {} as ExaminerInput,
  },
  actors: placeholderActors,
  guards: {
    expectsAnswer: ({ context }, part: QaPart | 'roundingOff') =>
      currentLine(context, part).expectsAnswer,
    hasNextLine: ({ context }, part: QaPart | 'roundingOff') =>
      context.cursor + 1 < linesOf(context, part).length,
    shortLongTurn: ({ context, event }) =>
      !context.nudged &&
      (event as At).at - (context.times.phaseStartedAt ?? 0) < context.timings.longTurnMinMs,
    roundingOffAllowed: ({ context, event }, more: boolean) =>
      (more
        ? context.cursor + 1 < context.script.part2.roundingOff.length
        : context.script.part2.roundingOff.length > 0) &&
      (event as At).at - (context.times.partStartedAt ?? 0) < context.timings.roundingOffCutoffMs,
  },
  actions: {
    countExaminerTurn: assign({ examinerTurns: ({ context }) => context.examinerTurns + 1 }),
    countCandidateTurn: assign({ candidateTurns: ({ context }) => context.candidateTurns + 1 }),
    nextLine: assign({ cursor: ({ context }) => context.cursor + 1 }),
    awaitAnswer: assign({
      times: ({ context, event }) =>
        withTimes(context, { answerDueAt: (event as At).at + context.timings.noAnswerMs }),
    }),
    startPart: assign(({ context, event }, part: 'part1' | 'part2' | 'part3') => {
      const at = (event as At).at;
      const t = context.timings;
      const length = part === 'part1' ? t.part1Ms : part === 'part2' ? t.part2MaxMs : t.part3Ms;
      const cap = context.times.testStartedAt + t.testMaxMs - t.closingReserveMs;
      return {
        cursor: 0,
        times: withTimes(context, {
          partStartedAt: at,
          partEndsAt: Math.min(at + length, cap),
          phaseStartedAt: null,
          phaseEndsAt: null,
          answerDueAt: null,
        }),
      };
    }),
    startPhase: assign(({ context, event }, length: 'prepMs' | 'longTurnMs') => {
      const at = (event as At).at;
      return {
        times: withTimes(context, {
          phaseStartedAt: at,
          phaseEndsAt: at + context.timings[length],
        }),
      };
    }),
    markNudged: assign({ nudged: true }),
    suspend: assign(({ context, event }) => {
      const at = (event as At).at;
      return {
        times: withTimes(context, {
          suspendedAt: at,
          graceEndsAt: at + context.timings.suspendGraceMs,
        }),
      };
    }),
    // Frozen clocks: every armed time moves forward by the time spent suspended.
    resume: assign(({ context, event }) => {
      const away = (event as At).at - (context.times.suspendedAt ?? (event as At).at);
      const shifted = Object.fromEntries(
        Object.entries(context.times).map(([k, v]) => [k, v === null ? null : v + away]),
      ) as unknown as ExaminerTimes;
      return { times: { ...shifted, suspendedAt: null, graceEndsAt: null } };
    }),
    fail: assign(({ event }) => {
      if (event.type === 'ABORT') return { failure: { code: event.code, message: event.message } };
      if (event.type === 'GRACE_UP') {
        return {
          failure: {
            code: 'SUSPEND_EXPIRED' as const,
            message: 'the candidate did not come back within the grace period',
          },
        };
      }
      return { failure: { code: 'SCORING_FAILED' as const, message: 'scoring failed' } };
    }),
  },
}).createMachine({
  id: 'examiner',
  context: ({ input }) => ({
    machineVersion: MACHINE_VERSION,
    sessionId: input.sessionId,
    script: input.script,
    timings: input.timings,
    cursor: 0,
    nudged: false,
    times: {
      testStartedAt: input.at,
      partStartedAt: input.at,
      partEndsAt: input.at + input.timings.introMaxMs,
      phaseStartedAt: null,
      phaseEndsAt: null,
      answerDueAt: null,
      suspendedAt: null,
      graceEndsAt: null,
    },
    examinerTurns: 0,
    candidateTurns: 0,
    result: null,
    failure: null,
  }),
  initial: 'active',
  on: {
    ABORT: { target: '.failed', actions: 'fail' },
  },
  states: {
    active: {
      initial: 'intro',
      on: { SUSPEND: { target: 'suspended', actions: 'suspend' } },
      states: {
        intro: qaPart('intro', { target: '#examiner.active.part1', part: 'part1' }),
        part1: qaPart('part1', { target: '#examiner.active.part2', part: 'part2' }),
        part2: {
          invoke: {
            src: 'deadlineTimer',
            input: ({ context }) => timer(context.times.partEndsAt, 'PART_TIME_UP'),
          },
          on: {
            PART_TIME_UP: {
              target: '#examiner.active.part3',
              actions: { type: 'startPart', params: 'part3' },
            },
          },
          initial: 'cueCard',
          states: {
            cueCard: {
              invoke: {
                src: 'speakLine',
                input: ({ context }) => ({ line: context.script.part2.handOver }),
              },
              on: {
                EXAMINER_DONE: {
                  target: 'preparing',
                  actions: ['countExaminerTurn', { type: 'startPhase', params: 'prepMs' }],
                },
              },
            },
            preparing: {
              invoke: {
                src: 'deadlineTimer',
                input: ({ context }) => timer(context.times.phaseEndsAt, 'PHASE_TIME_UP'),
              },
              on: { PHASE_TIME_UP: 'speaking' },
            },
            speaking: {
              initial: 'prompting',
              states: {
                prompting: {
                  invoke: {
                    src: 'speakLine',
                    input: ({ context }) => ({ line: context.script.part2.startTalking }),
                  },
                  on: {
                    EXAMINER_DONE: {
                      target: 'talking',
                      actions: ['countExaminerTurn', { type: 'startPhase', params: 'longTurnMs' }],
                    },
                  },
                },
                talking: {
                  invoke: {
                    src: 'deadlineTimer',
                    input: ({ context }) => timer(context.times.phaseEndsAt, 'PHASE_TIME_UP'),
                  },
                  on: {
                    PHASE_TIME_UP: 'stopping',
                    CANDIDATE_STOPPED: [
                      { guard: 'shortLongTurn', target: 'nudging', actions: 'countCandidateTurn' },
                      { target: 'stopping', actions: 'countCandidateTurn' },
                    ],
                  },
                },
                nudging: {
                  invoke: {
                    src: 'speakLine',
                    input: ({ context }) => ({ line: context.script.part2.nudge }),
                  },
                  on: {
                    EXAMINER_DONE: {
                      target: 'talking',
                      actions: ['countExaminerTurn', 'markNudged'],
                    },
                    PHASE_TIME_UP: 'stopping',
                  },
                },
                stopping: {
                  invoke: {
                    src: 'speakLine',
                    input: ({ context }) => ({ line: context.script.part2.stop }),
                  },
                  on: {
                    EXAMINER_DONE: [
                      {
                        guard: { type: 'roundingOffAllowed', params: false },
                        target: '#examiner.active.part2.roundingOff',
                        actions: ['countExaminerTurn', assign({ cursor: 0 })],
                      },
                      {
                        target: '#examiner.active.part3',
                        actions: ['countExaminerTurn', { type: 'startPart', params: 'part3' }],
                      },
                    ],
                  },
                },
              },
            },
            roundingOff: {
              initial: 'asking',
              states: qaLoop('roundingOff', [
                {
                  guard: { type: 'roundingOffAllowed', params: true },
                  target: 'asking',
                  reenter: true,
                  actions: 'nextLine',
                },
                {
                  target: '#examiner.active.part3',
                  actions: { type: 'startPart', params: 'part3' },
                },
              ]),
            },
          },
        },
        part3: qaPart('part3', { target: '#examiner.active.closing' }),
        closing: {
          invoke: {
            src: 'speakLine',
            input: ({ context }) => ({ line: context.script.closing }),
          },
          on: {
            EXAMINER_DONE: { target: '#examiner.scoring', actions: 'countExaminerTurn' },
          },
        },
        hist: { type: 'history', history: 'deep' },
      },
    },
    suspended: {
      invoke: {
        src: 'deadlineTimer',
        input: ({ context }) => timer(context.times.graceEndsAt, 'GRACE_UP'),
      },
      on: {
        RESUME: { target: 'active.hist', actions: 'resume' },
        GRACE_UP: { target: 'failed', actions: 'fail' },
      },
    },
    scoring: {
      invoke: {
        src: 'scoreTest',
        input: ({ context }) => ({ sessionId: context.sessionId }),
        onDone: { target: 'done', actions: assign({ result: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'fail' },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
});
