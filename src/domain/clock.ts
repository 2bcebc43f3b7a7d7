/**
 * The one source of time for the examiner. Tests inject xstate's SimulatedClock (same shape);
 * demos run a ScaledClock so a 14-minute test can pass in half a minute.
 */
export interface Clock {
  now(): number;
  /** This clock's time at a wall-clock instant (heartbeats stored by other nodes are wall time). */
  fromWall?(wallMs: number): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Time that runs `scale` times faster than the wall clock. Its origin is a fixed instant, not the
 * process start, so every node with the same scale reads the same time: a test checkpointed on
 * one node keeps its deadlines on another.
 */
export class ScaledClock implements Clock {
  static readonly ORIGIN = Date.UTC(2026, 0, 1);
  private readonly origin = ScaledClock.ORIGIN;
  constructor(readonly scale: number) {
    if (!(scale > 0)) throw new RangeError('scale must be positive');
  }
  now(): number {
    return this.fromWall(Date.now());
  }
  fromWall(wallMs: number): number {
    return this.origin + (wallMs - this.origin) * this.scale;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    return setTimeout(fn, Math.max(0, ms) / this.scale);
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}

/** Waits `ms` of clock time. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
