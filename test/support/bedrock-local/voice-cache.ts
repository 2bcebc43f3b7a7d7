import { synthesise } from '../../../src/adapters/speech-local/espeak-voice.ts';

const MAX_ENTRIES = 256;
const cache = new Map<string, Promise<Buffer>>();

/**
 * The model's voice, cached per line: many tests and benchmark candidates hear the same script,
 * and espeak-ng blocks the event loop for tens of milliseconds per line, which would show up as
 * relay latency that a real Bedrock would not add.
 */
export function voiceLine(text: string, sampleRate: number, voice: string): Promise<Buffer> {
  const key = `${voice}:${sampleRate}:${text}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const audio = synthesise(text, { sampleRate, voice });
  audio.catch(() => cache.delete(key));
  cache.set(key, audio);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return audio;
}
