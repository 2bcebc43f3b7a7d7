import type { WebSocket } from 'ws';

/**
 * Examiner audio to one socket, paced by the socket's own buffer: a slow client gets its audio
 * late, never lost, and never makes the server hold more than `maxQueuedBytes` for it.
 */
export class AudioOut {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private socket: WebSocket | null,
    private readonly options = { highWaterMark: 256 * 1024, maxQueuedBytes: 16 * 1024 * 1024 },
  ) {}

  /** Returns false when the client is too far behind and the audio was refused. */
  send(chunk: Buffer): boolean {
    if (!this.socket) return true;
    if (this.queuedBytes + chunk.length > this.options.maxQueuedBytes) return false;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    this.pump();
    return true;
  }

  /** Drops audio not yet sent (barge-in, or the socket is gone). */
  clear(): void {
    this.queue = [];
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  detach(): void {
    this.clear();
    this.socket = null;
  }

  private pump(): void {
    const socket = this.socket;
    if (!socket || this.timer) return;
    while (this.queue.length > 0 && socket.bufferedAmount < this.options.highWaterMark) {
      const chunk = this.queue.shift() as Buffer;
      this.queuedBytes -= chunk.length;
      if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
    }
    if (this.queue.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, 5);
    }
  }
}
