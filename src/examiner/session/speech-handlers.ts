import { performance } from 'node:perf_hooks';
import type { ExaminerEvent, PartName } from '../../../machines/examiner/index.ts';
import type { SpeechStreamHandlers } from '../../domain/ports/speech-engine.ts';
import type { Logger } from '../../log.ts';
import type { ExaminerMetrics } from '../metrics.ts';
import type { ServerMessage } from '../protocol/messages.ts';
import type { TurnLog } from './turn-log.ts';

/** What the speech stream's events touch in a live session. */
export interface SpeechSink {
  engineName: string;
  turns: TurnLog;
  metrics: ExaminerMetrics;
  log: Logger;
  now(): number;
  currentPart(): PartName;
  toActor(event: ExaminerEvent): void;
  toClient(message: ServerMessage): void;
  examinerAudio(pcm: Buffer): void;
  clearClientAudio(): void;
  /** Something worth a checkpoint happened (a turn, a transcript). */
  changed(): void;
  /** Resolves once everything changed so far is checkpointed (or could not be). */
  durable(): Promise<void>;
}

/**
 * Turns the engine's reports into meaning-level actor events, client messages and log entries.
 * Audio goes straight to the client; the actor only hears that turns began and ended.
 */
export function speechHandlers(sink: SpeechSink): SpeechStreamHandlers & {
  stoppedAtWall: () => number | null;
} {
  let stoppedAtWall: number | null = null;
  return {
    stoppedAtWall: () => stoppedAtWall,
    examinerAudio: (pcm) => {
      if (stoppedAtWall !== null) {
        sink.metrics.turnLatency.observe((performance.now() - stoppedAtWall) / 1000);
        stoppedAtWall = null;
      }
      sink.examinerAudio(pcm);
    },
    candidateStarted: (at) => {
      sink.toClient({ type: 'turn', event: 'started' });
      sink.toActor({ type: 'CANDIDATE_STARTED', at });
    },
    candidateStopped: (turn) => {
      stoppedAtWall = performance.now();
      sink.turns.addTurn(sink.currentPart(), turn);
      sink.toActor({ type: 'CANDIDATE_STOPPED', at: turn.endedAt });
      sink.changed();
      // The client hears of a turn once it is saved, so a turn it saw survives a crash.
      const stopped = { turnId: turn.turnId, speechMs: turn.speechMs };
      void sink.durable().then(() => sink.toClient({ type: 'turn', event: 'stopped', ...stopped }));
    },
    transcript: (result) => {
      sink.turns.setTranscript(result);
      const { turnId, status, text, speechMs } = result;
      sink.toClient({ type: 'transcript', turnId, status, text, speechMs });
      sink.changed();
    },
    examinerAudioCleared: () => {
      sink.clearClientAudio();
      sink.toClient({ type: 'clear_audio' });
    },
    error: (error) => {
      sink.metrics.engineErrors.inc({ engine: sink.engineName, error: 'fatal' });
      sink.log.error({ err: error }, 'speech stream failed');
      sink.toActor({
        type: 'ABORT',
        at: sink.now(),
        code: 'ENGINE_FAILED',
        message: 'speech engine failed',
      });
    },
  };
}
