import type WebSocket from 'ws';

export const BYTES_PER_MS = 32; // PCM16 mono at 16 kHz
const MAX_FRAME_BYTES = 32 * 1024;
const TICK_MS = 10;
/** The natural gap before the candidate answers, counted in audio time. */
const ANSWER_GAP_MS = 600;

/**
 * A microphone that never stops while a socket is attached: silence, or a scripted answer once
 * the examiner listens. Audio goes out `fast` times faster than real time.
 */
export class Microphone {
  sentBytes = 0;
  private speech: Buffer | null = null;
  private speechOffset = 0;
  private answerAt: number | null = null;
  private base = { wall: 0, bytes: 0 };
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly fast: number,
    private readonly nextAnswer: () => Buffer,
  ) {}

  /** Streams to `socket` from now on; time spent without a socket is not made up for. */
  start(socket: WebSocket): void {
    this.stop();
    this.base = { wall: Date.now(), bytes: this.sentBytes };
    this.timer = setInterval(() => this.pump(socket), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  listening(on: boolean): void {
    if (!on) {
      this.speech = null;
      this.answerAt = null;
    } else if (!this.speech) {
      // A resumed examiner says it listens again; an answer under way simply goes on.
      this.answerAt = this.sentBytes + ANSWER_GAP_MS * BYTES_PER_MS;
    }
  }

  private pump(socket: WebSocket): void {
    // Send exactly the audio that `fast`-times real time says is due, silence or speech.
    const elapsed = Date.now() - this.base.wall;
    const due = this.base.bytes + Math.floor((elapsed * this.fast * BYTES_PER_MS) / 2) * 2;
    while (this.sentBytes < due && socket.readyState === socket.OPEN) {
      const size = Math.min(MAX_FRAME_BYTES, due - this.sentBytes);
      const frame = Buffer.alloc(size);
      if (this.answerAt !== null && this.sentBytes + size > this.answerAt && !this.speech) {
        this.speech = this.nextAnswer();
        this.speechOffset = 0;
        this.answerAt = null;
      }
      if (this.speech) {
        const n = this.speech.copy(frame, 0, this.speechOffset, this.speechOffset + size);
        this.speechOffset += n;
        if (this.speechOffset >= this.speech.length) this.speech = null;
      }
      socket.send(frame, { binary: true });
      this.sentBytes += size;
    }
  }
}
