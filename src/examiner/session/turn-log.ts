import type { PartName } from '../../../machines/examiner/index.ts';
import type { SpeakingTurnInput } from '../../domain/ports/scorer.ts';
import type { CandidateTurn, TranscriptResult } from '../../domain/ports/speech-engine.ts';

export interface LoggedTurn extends CandidateTurn {
  part: PartName;
  transcript: string | null;
  transcriptStatus: 'pending' | 'final' | 'unavailable';
}

/** The candidate's side of the conversation: measured turns and, when they arrive, transcripts. */
export class TurnLog {
  readonly turns: LoggedTurn[] = [];
  private waiters: Array<() => void> = [];

  addTurn(part: PartName, turn: CandidateTurn): void {
    this.turns.push({ ...turn, part, transcript: null, transcriptStatus: 'pending' });
  }

  setTranscript(result: TranscriptResult): void {
    const turn = this.turns.find((t) => t.turnId === result.turnId);
    if (!turn) return;
    turn.transcript = result.text;
    turn.transcriptStatus = result.status;
    if (!this.pending()) for (const wake of this.waiters.splice(0)) wake();
  }

  pending(): number {
    return this.turns.filter((t) => t.transcriptStatus === 'pending').length;
  }

  /** Waits for outstanding transcripts, at most `timeoutMs` of wall time. */
  async settled(timeoutMs: number): Promise<void> {
    if (!this.pending()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  scoringInput(): SpeakingTurnInput[] {
    return this.turns.map((t) => ({
      part: t.part,
      speechMs: t.speechMs,
      pauseCount: t.pauseCount,
      pauseMs: t.pauseMs,
      runsMs: t.runsMs,
      transcript: t.transcript,
    }));
  }
}
