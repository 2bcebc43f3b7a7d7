import { describe, expect, it } from 'vitest';
import { resamplePcm16 } from '../../../src/adapters/speech-local/resample.ts';
import { estimateHz, sine } from './fixtures.ts';

describe('resamplePcm16', () => {
  it('scales the length by the ratio of the rates', () => {
    expect(resamplePcm16(sine(1000, { rate: 22_050 }), 22_050, 24_000).length).toBe(48_000);
    expect(resamplePcm16(sine(500, { rate: 24_000 }), 24_000, 16_000).length).toBe(16_000);
    expect(resamplePcm16(Buffer.alloc(0), 22_050, 24_000).length).toBe(0);
  });

  it('keeps the pitch of a sine when going up and down', () => {
    const up = resamplePcm16(sine(1000, { hz: 440, rate: 22_050 }), 22_050, 24_000);
    expect(estimateHz(up, 24_000)).toBeCloseTo(440, -1);
    const down = resamplePcm16(sine(1000, { hz: 1000, rate: 24_000 }), 24_000, 16_000);
    expect(Math.abs(estimateHz(down, 16_000) - 1000)).toBeLessThan(10);
  });

  it('keeps the amplitude of a low tone', () => {
    const out = resamplePcm16(
      sine(200, { hz: 200, amplitude: 10_000, rate: 22_050 }),
      22_050,
      24_000,
    );
    let peak = 0;
    for (let i = 0; i < out.length; i += 2) peak = Math.max(peak, Math.abs(out.readInt16LE(i)));
    expect(peak).toBeGreaterThan(9900);
    expect(peak).toBeLessThanOrEqual(10_000);
  });

  it('copies when the rates match and rejects bad input', () => {
    const pcm = sine(10);
    const same = resamplePcm16(pcm, 16_000, 16_000);
    expect(same.equals(pcm)).toBe(true);
    expect(same).not.toBe(pcm);
    expect(() => resamplePcm16(Buffer.alloc(3), 16_000, 24_000)).toThrow(RangeError);
    expect(() => resamplePcm16(pcm, 0, 24_000)).toThrow(RangeError);
  });
});
