/** Synthetic PCM16LE mono audio for the speech adapter tests. */
export function sine(ms: number, options: { hz?: number; amplitude?: number; rate?: number } = {}) {
  const rate = options.rate ?? 16_000;
  const hz = options.hz ?? 220;
  const amplitude = options.amplitude ?? 8000;
  const samples = Math.round((ms * rate) / 1000);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  }
  return pcm;
}

export function silence(ms: number, rate = 16_000): Buffer {
  return Buffer.alloc(Math.round((ms * rate) / 1000) * 2);
}

/** Frequency estimated from upward zero crossings. */
export function estimateHz(pcm: Buffer, rate: number): number {
  let crossings = 0;
  for (let i = 2; i < pcm.length; i += 2) {
    if (pcm.readInt16LE(i - 2) < 0 && pcm.readInt16LE(i) >= 0) crossings += 1;
  }
  return crossings / (pcm.length / 2 / rate);
}

/** Cuts audio into pieces of varying, often odd, sample counts. */
export function splitArbitrarily(pcm: Buffer, seed = 7): Buffer[] {
  const pieces: Buffer[] = [];
  let state = seed;
  let offset = 0;
  while (offset < pcm.length) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const samples = 1 + (state % 997);
    pieces.push(pcm.subarray(offset, offset + samples * 2));
    offset += samples * 2;
  }
  return pieces;
}
