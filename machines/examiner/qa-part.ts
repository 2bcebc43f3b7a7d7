import type { ExaminerContext, Line, TimerEventType } from './types.ts';

export type QaPart = 'intro' | 'part1' | 'part3';

export function linesOf(context: ExaminerContext, part: QaPart | 'roundingOff'): Line[] {
  return part === 'roundingOff' ? context.script.part2.roundingOff : context.script[part];
}

export function currentLine(context: ExaminerContext, part: QaPart | 'roundingOff'): Line {
  const line = linesOf(context, part)[context.cursor];
  if (!line) throw new Error(`no line ${context.cursor} in ${part}`);
  return line;
}

/** A timer's input; a null deadline (nothing armed) never fires, and survives JSON. */
export function timer(at: number | null, event: TimerEventType) {
  return { at, event };
}

type NextPart = { target: string; part?: 'part1' | 'part2' | 'part3' };

/**
 * A question-and-answer part: ask each line, wait for an answer where one is expected, move on
 * when the lines run out or the part's deadline passes.
 */
export function qaPart(part: QaPart, next: NextPart) {
  const leave = next.part
    ? { target: next.target, actions: { type: 'startPart' as const, params: next.part } }
    : { target: next.target };
  return {
    invoke: {
      src: 'deadlineTimer' as const,
      input: ({ context }: { context: ExaminerContext }) =>
        timer(context.times.partEndsAt, 'PART_TIME_UP'),
    },
    on: { PART_TIME_UP: leave },
    initial: 'asking' as const,
    states: qaLoop(part, [
      {
        guard: { type: 'hasNextLine' as const, params: part },
        target: 'asking',
        reenter: true,
        actions: 'nextLine' as const,
      },
      leave,
    ]),
  };
}

export function qaLoop(part: QaPart | 'roundingOff', advance: readonly object[]) {
  return {
    asking: {
      invoke: {
        src: 'speakLine' as const,
        input: ({ context }: { context: ExaminerContext }) => ({
          line: currentLine(context, part),
        }),
      },
      on: {
        EXAMINER_DONE: [
          {
            guard: { type: 'expectsAnswer' as const, params: part },
            target: 'listening',
            actions: ['countExaminerTurn' as const, 'awaitAnswer' as const],
          },
          ...advance.map((t) => withCount(t, 'countExaminerTurn')),
        ],
      },
    },
    listening: {
      invoke: {
        src: 'deadlineTimer' as const,
        input: ({ context }: { context: ExaminerContext }) =>
          timer(context.times.answerDueAt, 'ANSWER_WAIT_UP'),
      },
      on: { CANDIDATE_STARTED: 'answering', ANSWER_WAIT_UP: advance },
    },
    answering: {
      on: { CANDIDATE_STOPPED: advance.map((t) => withCount(t, 'countCandidateTurn')) },
    },
  };
}

function withCount(transition: object, count: 'countExaminerTurn' | 'countCandidateTurn') {
  const t = transition as { actions?: unknown };
  const actions = t.actions === undefined ? [] : Array.isArray(t.actions) ? t.actions : [t.actions];
  return { ...transition, actions: [count, ...actions] };
}
