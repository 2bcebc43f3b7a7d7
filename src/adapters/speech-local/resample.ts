/**
 * Converts mono PCM16LE audio from one sample rate to another by linear interpolation. Good enough
 * for speech between 16, 22.05 and 24 kHz; it applies no anti-aliasing filter.
 */
export function resamplePcm16(pcm: Buffer, fromRate: number, toRate: number): Buffer {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError('sample rates must be positive');
  if (pcm.length % 2 !== 0) throw new RangeError('PCM16 audio must have an even byte length');
  if (fromRate === toRate) return Buffer.from(pcm);

  const input = int16View(pcm);
  const inputSamples = input.length;
  if (inputSamples === 0) return Buffer.alloc(0);
  const outputSamples = Math.round((inputSamples * toRate) / fromRate);
  const output = new Int16Array(outputSamples);
  const step = fromRate / toRate;
  const last = inputSamples - 1;

  // Typed arrays rather than readInt16LE per sample: a 20 s line is half a million samples, and
  // this runs on the node's main thread.
  for (let i = 0; i < outputSamples; i++) {
    const position = i * step;
    const index = Math.min(Math.floor(position), last);
    const next = Math.min(index + 1, last);
    const a = input[index] as number;
    const b = input[next] as number;
    const value = Math.round(a + (b - a) * (position - index));
    output[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }
  return Buffer.from(output.buffer, output.byteOffset, output.byteLength);
}

/** PCM16LE as samples (Node runs on little-endian hosts); copies only when unaligned. */
function int16View(pcm: Buffer): Int16Array {
  if (pcm.byteOffset % 2 === 0) return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
  const copy = new Uint8Array(pcm.length);
  copy.set(pcm);
  return new Int16Array(copy.buffer);
}
