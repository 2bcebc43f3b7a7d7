import { performance } from 'node:perf_hooks';
import { stampAudio } from './audio-stamp.ts';
import { INTERRUPTED_MARKER, OUTPUT_SAMPLE_RATE, type SonicOutput } from './sonic-output.ts';

/** Nova Sonic was seen sending 40 ms audioOutput chunks. */
export const CHUNK_MS = 40;
export const CHUNK_BYTES = (OUTPUT_SAMPLE_RATE * 2 * CHUNK_MS) / 1000;

export interface VoiceOptions {
  /** Times faster than real time; Infinity sends a whole reply at once. */
  pacing: number;
  stamp: boolean;
}

type Outcome = 'done' | 'interrupted' | 'cancelled';

/**
 * Speaks one assistant reply the way Nova Sonic does: the planned text (SPECULATIVE), the audio,
 * then what was actually said (FINAL). Barge-in cuts the audio short.
 */
export class AssistantVoice {
  private stop: Outcome | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private audioOpen = false;

  constructor(
    private readonly output: SonicOutput,
    private readonly options: VoiceOptions,
  ) {}

  /** True while audio chunks of a reply are still being sent: the window for barge-in. */
  get speaking(): boolean {
    return this.audioOpen;
  }

  async say(text: string, audio: Promise<Buffer>): Promise<Outcome> {
    this.stop = undefined;
    this.output.textBlock('ASSISTANT', 'SPECULATIVE', text, 'PARTIAL_TURN');
    const pcm = await audio;
    if (this.stop === 'cancelled') return 'cancelled';
    const contentId = this.output.audioStart();
    this.audioOpen = true;
    const outcome = await this.pump(contentId, pcm);
    this.audioOpen = false;
    if (outcome === 'cancelled') return outcome;
    if (outcome === 'interrupted') {
      this.output.audioEnd(contentId, 'INTERRUPTED');
      this.output.textBlock('ASSISTANT', 'FINAL', INTERRUPTED_MARKER, 'INTERRUPTED');
      return outcome;
    }
    this.output.audioEnd(contentId, 'END_TURN');
    this.output.textBlock('ASSISTANT', 'FINAL', text, 'END_TURN');
    return outcome;
  }

  /** Barge-in: ends the audio now, with stopReason INTERRUPTED. */
  interrupt(): void {
    if (!this.audioOpen) return;
    this.halt('interrupted');
  }

  /** The stream is over: stop without sending anything more. */
  cancel(): void {
    this.halt('cancelled');
  }

  private halt(outcome: Outcome): void {
    this.stop ??= outcome;
    clearTimeout(this.timer);
    this.wake?.();
  }

  private pump(contentId: string, pcm: Buffer): Promise<Outcome> {
    const chunks = Math.ceil(pcm.length / CHUNK_BYTES);
    const msPerChunk = CHUNK_MS / this.options.pacing;
    const started = performance.now();
    let sent = 0;
    return new Promise((resolve) => {
      const finish = (outcome: Outcome) => {
        this.wake = undefined;
        this.timer = undefined;
        resolve(outcome);
      };
      const tick = () => {
        if (this.stop) return finish(this.stop);
        // Catching up on late timers keeps the average rate exact even with coarse timers.
        const elapsed = performance.now() - started;
        const due =
          msPerChunk === 0 ? chunks : Math.min(chunks, Math.floor(elapsed / msPerChunk) + 1);
        for (; sent < due; sent += 1) {
          const chunk = pcm.subarray(sent * CHUNK_BYTES, (sent + 1) * CHUNK_BYTES);
          this.output.audio(contentId, this.options.stamp ? stampAudio(chunk) : chunk);
        }
        if (sent >= chunks) return finish('done');
        const wait = sent * msPerChunk - (performance.now() - started);
        this.timer = setTimeout(tick, Math.max(0, wait));
      };
      this.wake = () => finish(this.stop ?? 'cancelled');
      tick();
    });
  }
}
