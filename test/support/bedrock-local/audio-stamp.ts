import { performance } from 'node:perf_hooks';

/**
 * Benchmarks measure audio latency end to end by finding, in the PCM that reaches the listener,
 * the moment the local Bedrock server sent it. The stamp is 8 magic bytes and a Float64LE
 * wall-clock time in ms (`performance.timeOrigin + performance.now()`), comparable across processes.
 */
export const AUDIO_STAMP_MAGIC = Buffer.from('BRLSTAMP', 'ascii');
export const AUDIO_STAMP_BYTES = 16;

export function stampAudio(pcm: Buffer, now = performance.timeOrigin + performance.now()): Buffer {
  const stamped = Buffer.alloc(Math.max(pcm.length, AUDIO_STAMP_BYTES));
  pcm.copy(stamped);
  AUDIO_STAMP_MAGIC.copy(stamped, 0);
  stamped.writeDoubleLE(now, AUDIO_STAMP_MAGIC.length);
  return stamped;
}

/** The send time written by `stampAudio`, or undefined when the chunk carries no stamp. */
export function readAudioStamp(pcm: Uint8Array, offset = 0): number | undefined {
  const buffer = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  if (buffer.length < offset + AUDIO_STAMP_BYTES) return undefined;
  if (!buffer.subarray(offset, offset + AUDIO_STAMP_MAGIC.length).equals(AUDIO_STAMP_MAGIC)) {
    return undefined;
  }
  return buffer.readDoubleLE(offset + AUDIO_STAMP_MAGIC.length);
}
