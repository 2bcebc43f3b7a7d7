import { describe, expect, it } from 'vitest';
import {
  EspeakUnavailableError,
  loadEspeak,
  SynthesisFailedError,
  synthesise,
} from '../../../src/adapters/speech-local/espeak-voice.ts';

const SENTENCE = 'Now, in this first part, I would like to ask you some questions about yourself.';

describe('espeak-ng voice', () => {
  it('speaks a sentence as 24 kHz PCM16 of a plausible length', async () => {
    const pcm = await synthesise(SENTENCE);
    expect(pcm.length % 2).toBe(0);
    const seconds = pcm.length / 2 / 24_000;
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(10);
    let peak = 0;
    for (let i = 0; i < pcm.length; i += 2) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i)));
    expect(peak).toBeGreaterThan(1000);
  });

  it('speaks the same line at 16 kHz for test clients', async () => {
    const [at24, at16] = await Promise.all([
      synthesise(SENTENCE, { voice: 'en-us' }),
      synthesise(SENTENCE, { voice: 'en-us', sampleRate: 16_000 }),
    ]);
    expect(at16.length / at24.length).toBeCloseTo(16 / 24, 3);
  });

  it('speaks a line that looks like a command-line flag', async () => {
    expect((await synthesise('-5 degrees outside')).length).toBeGreaterThan(24_000);
  });

  it('returns no audio for blank text', async () => {
    expect((await synthesise('  \n ')).length).toBe(0);
  });

  it('rejects an unknown voice with a typed error', async () => {
    await expect(synthesise('Hello.', { voice: 'xx-nope' })).rejects.toBeInstanceOf(
      SynthesisFailedError,
    );
    await expect(synthesise('Hello.', { voice: '-w evil.wav' })).rejects.toBeInstanceOf(RangeError);
  });

  it('says clearly when the optional package is missing', async () => {
    await expect(loadEspeak('espeak-ng-not-installed')).rejects.toBeInstanceOf(
      EspeakUnavailableError,
    );
  });
});
