import { constants, type ServerHttp2Stream } from 'node:http2';
import { encodeError, encodeEvent, encodeException } from './event-stream.ts';

/**
 * The event-stream half of one bidirectional stream. Faults act here, so a stalled or reset
 * stream silently swallows whatever the session still tries to send.
 */
export class ResponseChannel {
  private stalled = false;
  private ended = false;
  private sentEvents = 0;
  private firstOutputWaiters: Array<() => void> = [];

  constructor(private readonly stream: ServerHttp2Stream) {}

  /** False once the response ended, was reset or stalled: nothing more will reach the client. */
  get writable(): boolean {
    return !this.ended && !this.stalled && !this.stream.destroyed && !this.stream.closed;
  }

  event(event: unknown): void {
    if (!this.write(encodeEvent(event))) return;
    this.sentEvents += 1;
    if (this.sentEvents === 1) {
      const waiters = this.firstOutputWaiters;
      this.firstOutputWaiters = [];
      // After the frame is queued, so the client sees the event before whatever the waiter does.
      setImmediate(() => {
        for (const waiter of waiters) waiter();
      });
    }
  }

  exception(type: string, message: string): void {
    this.write(encodeException(type, message));
  }

  error(code: string, message: string): void {
    this.write(encodeError(code, message));
  }

  onFirstOutput(waiter: () => void): void {
    if (this.sentEvents > 0) setImmediate(waiter);
    else this.firstOutputWaiters.push(waiter);
  }

  end(): void {
    if (!this.writable) return;
    this.ended = true;
    this.stream.end();
  }

  /** RST_STREAM INTERNAL_ERROR: the SDK's iterator then ends with no error. */
  reset(): void {
    this.ended = true;
    if (!this.stream.destroyed) this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  }

  stall(): void {
    this.stalled = true;
  }

  private write(bytes: Uint8Array): boolean {
    if (!this.writable) return false;
    this.stream.write(bytes);
    return true;
  }
}
