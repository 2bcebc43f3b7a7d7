import { fromCallback, fromPromise } from 'xstate';
import {
  deadlineTimer,
  type ExaminerEvent,
  examinerMachine,
  type Line,
  type SpeakInput,
} from '../../../machines/examiner/index.ts';
import type { Clock } from '../../domain/clock.ts';

export interface ExaminerEffects {
  clock: Clock;
  /** Voices a line; resolves once the candidate has heard it. */
  speakLine(line: Line, signal: AbortSignal): Promise<void>;
  /** Must be idempotent: a restored actor runs an in-flight scoring call again. */
  scoreTest(sessionId: string): Promise<unknown>;
}

/** The examiner statechart with real effects plugged into its named actors. */
export function provideExaminer(effects: ExaminerEffects) {
  const { clock } = effects;
  return examinerMachine.provide({
    actors: {
      deadlineTimer: deadlineTimer(clock),
      speakLine: fromCallback<{ type: string }, SpeakInput>(({ input, sendBack }) => {
        const abort = new AbortController();
        effects.speakLine(input.line, abort.signal).then(
          () => {
            if (!abort.signal.aborted)
              sendBack({ type: 'EXAMINER_DONE', at: clock.now() } satisfies ExaminerEvent);
          },
          (error: unknown) => {
            if (abort.signal.aborted) return;
            sendBack({
              type: 'ABORT',
              at: clock.now(),
              code: 'ENGINE_FAILED',
              message: error instanceof Error ? error.message : 'speech engine failed',
            });
          },
        );
        return () => abort.abort();
      }),
      scoreTest: fromPromise<unknown, { sessionId: string }>(({ input }) =>
        effects.scoreTest(input.sessionId),
      ),
    },
  });
}

export type ProvidedExaminer = ReturnType<typeof provideExaminer>;
