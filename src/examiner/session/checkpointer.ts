import { performance } from 'node:perf_hooks';
import type { CheckpointData, CheckpointStore } from '../../domain/ports/checkpoint-store.ts';
import type { Logger } from '../../log.ts';
import type { ExaminerMetrics } from '../metrics.ts';

export interface CheckpointerOptions {
  store: CheckpointStore;
  sessionId: string;
  nodeId: string;
  fence: number;
  leaseTtlMs: number;
  metrics: ExaminerMetrics;
  log: Logger;
  /** Another node owns the session now: stop everything at once. */
  onLost(): void;
  /** Another node asks for the session; return true to hand it over (we then release). */
  onHandoffRequested?(): boolean;
}

const RETRY_MS = 200;

/**
 * One node's ownership of one live test: the lease, renewed well before it expires, and the
 * checkpoint writes, single-flight with the newest state winning. Redis being away never stops
 * the test: writes are retried and the newest state lands when it returns.
 */
export class Checkpointer {
  private fence: number;
  private dirty: (() => CheckpointData) | null = null;
  private flushing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly renewTimer: NodeJS.Timeout;
  private stopped = false;
  private redisDown = false;
  private reacquiring: Promise<boolean> | null = null;

  constructor(private readonly options: CheckpointerOptions) {
    this.fence = options.fence;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(100, options.leaseTtlMs / 3));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Queues a write of the state `read` returns when the write happens (latest wins). */
  save(read: () => CheckpointData): void {
    if (this.stopped) return;
    this.dirty = read;
    this.flushing ??= this.flush().finally(() => {
      this.flushing = null;
    });
  }

  /** Resolves once the state queued so far is written (or the owner stopped trying). */
  saved(timeoutMs = 1000): Promise<void> {
    const flushing = this.flushing;
    if (!flushing) return Promise.resolve();
    // While Redis is away the test goes on: waiting callers are let go after a moment.
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void flushing.finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves once everything queued so far is written (or could not be). */
  async drain(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.flushing || this.dirty) && Date.now() < deadline && !this.stopped) {
      await (this.flushing ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  /** Graceful end: the last state written, then the lease given up. */
  async release(finalState?: () => CheckpointData): Promise<void> {
    if (this.stopped) return;
    if (finalState) this.save(finalState);
    await this.drain();
    this.stop();
    const o = this.options;
    await o.store.release(o.sessionId, o.nodeId, this.fence).catch(() => {});
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.renewTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private async flush(): Promise<void> {
    const o = this.options;
    while (this.dirty && !this.stopped) {
      const read = this.dirty;
      this.dirty = null;
      const started = performance.now();
      const fence = this.fence;
      try {
        const result = await o.store.write(o.sessionId, o.nodeId, fence, read());
        o.metrics.checkpointWriteSeconds.observe((performance.now() - started) / 1000);
        this.markRedis(true);
        if (result === 'lost') {
          // 'lost' also means the lease lapsed while Redis was away and nobody took it.
          if (!(await this.reacquire(fence))) return this.lose();
          this.dirty ??= read;
        }
      } catch (error) {
        o.metrics.checkpointWriteFailures.inc();
        this.markRedis(false, error);
        // Keep the newest state and try again; the test goes on in memory meanwhile.
        this.dirty ??= read;
        await new Promise((resolve) => {
          this.retryTimer = setTimeout(resolve, RETRY_MS);
        });
      }
    }
  }

  private async renew(): Promise<void> {
    const o = this.options;
    if (this.stopped) return;
    const fence = this.fence;
    try {
      const held = await o.store.renew(o.sessionId, o.nodeId, fence, o.leaseTtlMs);
      this.markRedis(true);
      if (!held) {
        // The lease may simply have lapsed while Redis was away: take it again if nobody did.
        if (!(await this.reacquire(fence))) return this.lose();
        return;
      }
      if (o.onHandoffRequested && (await o.store.handoffRequested(o.sessionId))) {
        if (o.onHandoffRequested()) o.log.info('session handed to another node');
      }
    } catch (error) {
      this.markRedis(false, error);
    }
  }

  /**
   * Takes a lapsed lease back; false when another node holds it. A renewal and a write both find
   * the lease gone when Redis returns: they share one attempt, because the second acquire would
   * fail against this node's own new lease and read as a takeover.
   */
  private reacquire(staleFence: number): Promise<boolean> {
    if (this.fence !== staleFence) return Promise.resolve(true);
    this.reacquiring ??= this.acquireAgain().finally(() => {
      this.reacquiring = null;
    });
    return this.reacquiring;
  }

  private async acquireAgain(): Promise<boolean> {
    const o = this.options;
    const fence = await o.store.acquire(o.sessionId, o.nodeId, o.leaseTtlMs);
    if (fence === null) return false;
    this.fence = fence;
    o.log.warn({ fence }, 'lease re-acquired after it lapsed');
    return true;
  }

  private markRedis(up: boolean, error?: unknown): void {
    this.options.metrics.redisAvailable.set(up ? 1 : 0);
    if (up === !this.redisDown) return;
    this.redisDown = !up;
    this.options.metrics.redisAvailable.set(up ? 1 : 0);
    if (up) this.options.log.info('redis reachable again');
    else this.options.log.warn({ err: error }, 'redis unreachable; the test goes on in memory');
  }

  private lose(): void {
    if (this.stopped) return;
    this.stop();
    this.options.metrics.leasesLost.inc();
    this.options.log.warn('lease lost to another node');
    this.options.onLost();
  }
}
