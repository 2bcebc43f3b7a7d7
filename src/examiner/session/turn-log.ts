import type { PartName } from '../../../machines/examiner/index.ts';
import type { TranscriptEntry } from '../../domain/ports/checkpoint-store.ts';
import type { SpeakingTurnInput } from '../../domain/ports/scorer.ts';
import type { CandidateTurn, TranscriptResult } from '../../domain/ports/speech-engine.ts';

/**
 * The conversation as it happened: the examiner's lines and the candidate's measured turns, with
 * transcripts as they arrive. It is checkpointed beside the actor, so a resumed test keeps it.
 */
export class TurnLog {
  readonly entries: TranscriptEntry[];
  private readonly pendingTurns = new Set<number>();
  private waiters: Array<() => void> = [];

  constructor(entries: TranscriptEntry[] = []) {
    this.entries = entries.map((e) => ({ ...e }));
  }

  /** Turn ids continue after a resume, so a transcript never lands on the wrong turn. */
  get lastTurnId(): number {
    return Math.max(0, ...this.entries.map((e) => e.turn?.turnId ?? 0));
  }

  addLine(part: PartName | 'closing', at: number, text: string): void {
    this.entries.push({ speaker: 'examiner', part, at, text });
  }

  addTurn(part: PartName, turn: CandidateTurn): void {
    this.pendingTurns.add(turn.turnId);
    this.entries.push({
      speaker: 'candidate',
      part,
      at: turn.endedAt,
      text: null,
      turn: {
        turnId: turn.turnId,
        speechMs: turn.speechMs,
        pauseCount: turn.pauseCount,
        pauseMs: turn.pauseMs,
        runsMs: turn.runsMs,
      },
    });
  }

  setTranscript(result: TranscriptResult): void {
    const entry = this.entries.find((e) => e.turn?.turnId === result.turnId);
    if (!entry) return;
    entry.text = result.text;
    this.pendingTurns.delete(result.turnId);
    if (this.pendingTurns.size === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  pending(): number {
    return this.pendingTurns.size;
  }

  /** Waits for outstanding transcripts, at most `timeoutMs` of wall time. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.pendingTurns.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The conversation for a new model stream: examiner lines and what the candidate said. */
  history(): Array<{ role: 'USER' | 'ASSISTANT'; text: string }> {
    return this.entries
      .filter((e) => e.text)
      .map((e) => ({
        role: e.speaker === 'examiner' ? 'ASSISTANT' : 'USER',
        text: e.text as string,
      }));
  }

  scoringInput(): SpeakingTurnInput[] {
    return this.entries.flatMap((e) =>
      e.turn && e.part !== 'closing'
        ? [
            {
              part: e.part as SpeakingTurnInput['part'],
              speechMs: e.turn.speechMs,
              pauseCount: e.turn.pauseCount,
              pauseMs: e.turn.pauseMs,
              runsMs: e.turn.runsMs,
              transcript: e.text,
            },
          ]
        : [],
    );
  }
}
