/**
 * Converts mono PCM16LE audio from one sample rate to another by linear interpolation. Good enough
 * for speech between 16, 22.05 and 24 kHz; it applies no anti-aliasing filter.
 */
export function resamplePcm16(pcm: Buffer, fromRate: number, toRate: number): Buffer {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError('sample rates must be positive');
  if (pcm.length % 2 !== 0) throw new RangeError('PCM16 audio must have an even byte length');
  if (fromRate === toRate) return Buffer.from(pcm);

  const inputSamples = pcm.length / 2;
  if (inputSamples === 0) return Buffer.alloc(0);
  const outputSamples = Math.round((inputSamples * toRate) / fromRate);
  const output = Buffer.alloc(outputSamples * 2);
  const step = fromRate / toRate;
  const last = inputSamples - 1;

  for (let i = 0; i < outputSamples; i++) {
    const position = i * step;
    const index = Math.min(Math.floor(position), last);
    const next = Math.min(index + 1, last);
    const fraction = position - index;
    const a = pcm.readInt16LE(index * 2);
    const b = pcm.readInt16LE(next * 2);
    const value = Math.round(a + (b - a) * fraction);
    output.writeInt16LE(Math.max(-32768, Math.min(32767, value)), i * 2);
  }
  return output;
}
