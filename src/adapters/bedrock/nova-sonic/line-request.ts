import type { Clock } from '../../../domain/clock.ts';

function abortError(): Error {
  const error = new Error('the line was aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * One examiner line asked of the model. It is done when the model's audio for it has ended and
 * the candidate has had time to hear it: the audio's length of clock time after its first byte.
 */
export class LineRequest {
  sent = false;
  readonly done: Promise<{ durationMs: number }>;
  private firstByteAt: number | null = null;
  private durationMs = 0;
  private timer: unknown = null;
  private settled = false;
  private resolve!: (value: { durationMs: number }) => void;
  private reject!: (error: Error) => void;

  constructor(
    readonly text: string,
    private readonly clock: Clock,
    signal?: AbortSignal,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (signal?.aborted) this.abort();
    signal?.addEventListener('abort', () => this.abort(), { once: true });
  }

  heard(ms: number): void {
    this.firstByteAt ??= this.clock.now();
    this.durationMs += ms;
  }

  /** The model's audio for the line ended; `cut` when it was interrupted. */
  finish(cut: boolean): void {
    if (this.settled) return;
    const durationMs = Math.round(this.durationMs);
    const left = cut ? 0 : (this.firstByteAt ?? this.clock.now()) + durationMs - this.clock.now();
    this.timer = this.clock.setTimeout(() => this.settle({ durationMs }), Math.max(0, left));
  }

  /** The stream failed mid-line: the line starts again on the next stream. */
  restart(): void {
    this.firstByteAt = null;
    this.durationMs = 0;
  }

  abort(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.reject(abortError());
  }

  private settle(value: { durationMs: number }): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(value);
  }
}

const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

/** Whether the model's planned speech is the line we asked for (it may rephrase a little). */
export function sameLine(spoken: string, asked: string): boolean {
  const a = new Set(words(asked));
  const s = words(spoken);
  if (a.size === 0 || s.length === 0) return false;
  const hits = s.filter((w) => a.has(w)).length;
  return hits / Math.max(s.length, a.size) >= 0.6;
}
