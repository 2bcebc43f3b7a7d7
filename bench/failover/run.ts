import type { CheckpointStore } from '../../src/domain/ports/checkpoint-store.ts';
import type { AnswerPart } from '../demo/answers.ts';
import { type Answer, type CandidateReport, runCandidate } from '../demo/candidate.ts';
import { type ExaminerNode, scrapeMetrics } from './nodes.ts';

/** One failover, measured from the client's side. Wall milliseconds throughout. */
export interface FailoverRun {
  completed: boolean;
  reconnects: number;
  /** Kill → first examiner audio byte from B. */
  resumeMs: number | null;
  /** Where that time went: kill → close seen, → socket open on B, → `ready`, → audio. */
  phases: {
    closeMs: number | null;
    openMs: number | null;
    readyMs: number | null;
    audioMs: number | null;
  };
  /** The first state the client was told after the resume. */
  resumedIn: string | null;
  turnsBefore: number[];
  /** Turns the client saw end before the kill that the final checkpoint does not hold. */
  turnsLost: number[];
  /** Node A's /metrics shortly before the kill (its writes die with it). */
  metricsA: string;
  errors: string[];
}

/**
 * A candidate on `a` until Part 2's long turn begins, then `a` is SIGKILLed and the candidate
 * comes back on `b`. The run is over when the test reaches a result or the candidate gives up.
 */
export async function failoverOnce(options: {
  a: ExaminerNode;
  b: ExaminerNode;
  fast: number;
  answers: Record<AnswerPart, Answer[]>;
  checkpoints: CheckpointStore;
  timeoutMs: number;
}): Promise<FailoverRun> {
  const { a, b } = options;
  let killedAt = 0;
  let metricsA: Promise<string> = Promise.resolve('');
  const errors: string[] = [];
  let report: CandidateReport | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const candidate = runCandidate({
      baseUrl: a.url,
      fast: options.fast,
      answers: options.answers,
      reconnect: { urls: [a.url, b.url] },
      onState: (state) => {
        // A's checkpoint histogram, read while A still answers: its writes die with it.
        if (state === 'part2.preparing') metricsA = scrapeMetrics(a.url);
        if (state === 'part2.speaking' && !killedAt) {
          killedAt = Date.now();
          a.kill();
        }
      },
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('run timed out')), options.timeoutMs);
    });
    report = await Promise.race([candidate, timeout]);
  } catch (error) {
    errors.push((error as Error).message.slice(0, 200));
  } finally {
    clearTimeout(timer);
  }
  if (!killedAt) errors.push('the candidate never reached part2.speaking');
  const resume = report?.resumes?.[0];
  const since = (at: number | null | undefined) => (at && killedAt ? at - killedAt : null);
  const fromClose = (ms: number | null | undefined) =>
    resume && ms !== null && ms !== undefined ? since(resume.closedAt + ms) : null;
  const turnsBefore = report?.turnsBefore ?? [];
  let turnsLost: number[] = [];
  if (report?.sessionId) {
    try {
      const checkpoint = await options.checkpoints.read(report.sessionId);
      const stored = new Set((checkpoint?.transcript ?? []).flatMap((e) => e.turn?.turnId ?? []));
      turnsLost = turnsBefore.filter((id) => !stored.has(id));
    } catch (error) {
      errors.push(`checkpoint unreadable: ${(error as Error).message}`);
    }
  }
  for (const e of report?.errors ?? []) errors.push(`${e.code}: ${e.message}`);
  return {
    completed: report?.result != null,
    reconnects: report?.reconnects ?? 0,
    resumeMs: since(resume?.audioAt),
    phases: {
      closeMs: since(resume?.closedAt),
      openMs: fromClose(resume?.openMs),
      readyMs: fromClose(resume?.readyMs),
      audioMs: since(resume?.audioAt),
    },
    resumedIn: report?.statesAfter?.[0] ?? null,
    turnsBefore,
    turnsLost,
    metricsA: await metricsA,
    errors,
  };
}
