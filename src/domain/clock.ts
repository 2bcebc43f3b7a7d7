/**
 * The one source of time for the examiner. Tests inject xstate's SimulatedClock (same shape);
 * demos run a ScaledClock so a 14-minute test can pass in half a minute.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Time that runs `scale` times faster than the wall clock, starting from the wall clock's now. */
export class ScaledClock implements Clock {
  private readonly origin = Date.now();
  constructor(readonly scale: number) {
    if (!(scale > 0)) throw new RangeError('scale must be positive');
  }
  now(): number {
    return this.origin + (Date.now() - this.origin) * this.scale;
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
