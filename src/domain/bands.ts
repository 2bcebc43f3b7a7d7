/**
 * IELTS rounding, the one place it lives: the mean goes to the nearest half band, with .25 going
 * up to .5 and .75 going up to the next whole band (6.125 → 6.0, 6.25 → 6.5, 6.75 → 7.0).
 * Used for the overall band and, by our decision, for section bands too.
 */
export function roundBand(mean: number): number {
  if (!Number.isFinite(mean)) throw new RangeError('band mean must be a finite number');
  const clamped = Math.min(9, Math.max(0, mean));
  // The epsilon keeps float noise (6.2499999) from dropping a quarter that is really there.
  return Math.ceil(Math.floor(clamped * 4 + 1e-9) / 2) / 2;
}

export function meanOf(values: number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}
