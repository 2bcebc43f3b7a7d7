import { chmod, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesise } from '../../../src/adapters/speech-local/espeak-voice.ts';
import {
  detectRecogniser,
  findExecutable,
  POCKETSPHINX_BINARY,
  PocketsphinxRecogniser,
  RecogniserUnavailableError,
  RecognitionFailedError,
} from '../../../src/adapters/speech-local/pocketsphinx-recogniser.ts';
import { silence } from './fixtures.ts';

const available = findExecutable(POCKETSPHINX_BINARY) !== null;

async function leftoverWavs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => /^pocketsphinx-.*\.wav$/.test(name));
}

describe('pocketsphinx recogniser', () => {
  it.skipIf(!available)('transcribes speech and cleans up its temp file', async () => {
    const before = await leftoverWavs();
    const pcm = await synthesise('Hello, I live in a small town near the sea.', {
      voice: 'en-us',
      sampleRate: 16_000,
    });
    const text = await new PocketsphinxRecogniser().transcribe(pcm);
    expect(typeof text).toBe('string');
    expect(text?.trim()).toBe(text);
    expect(text?.length).toBeGreaterThan(0);
    expect(await leftoverWavs()).toEqual(before);
  });

  it.skipIf(!available)('returns null for silence rather than inventing words', async () => {
    expect(await new PocketsphinxRecogniser().transcribe(silence(1500))).toBeNull();
    expect(await new PocketsphinxRecogniser().transcribe(Buffer.alloc(0))).toBeNull();
  });

  it('rejects when the binary times out, is aborted, fails or cannot be started', async () => {
    const script = join(tmpdir(), `slow-recogniser-${process.pid}.sh`);
    await writeFile(script, '#!/bin/sh\nsleep 5\n');
    await chmod(script, 0o700);
    try {
      const slow = new PocketsphinxRecogniser({ binary: script, baseTimeoutMs: 100 });
      await expect(slow.transcribe(silence(20))).rejects.toThrow(/timed out/);

      const controller = new AbortController();
      const running = new PocketsphinxRecogniser({ binary: script }).transcribe(
        silence(20),
        controller.signal,
      );
      setTimeout(() => controller.abort(), 50);
      await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await rm(script, { force: true });
    }
    const failing = new PocketsphinxRecogniser({ binary: 'false' });
    await expect(failing.transcribe(silence(20))).rejects.toBeInstanceOf(RecognitionFailedError);
    const missing = new PocketsphinxRecogniser({ binary: 'no-such-recogniser-binary' });
    await expect(missing.transcribe(silence(20))).rejects.toThrow(/could not be started/);
  });

  it('detects a recogniser from the setting', () => {
    expect(detectRecogniser('none')).toBeNull();
    expect(detectRecogniser('auto', { searchPath: '' })).toBeNull();
    expect(() => detectRecogniser('pocketsphinx', { searchPath: '' })).toThrow(
      RecogniserUnavailableError,
    );
    if (available) {
      expect(detectRecogniser('auto')?.name).toBe('pocketsphinx');
      expect(detectRecogniser('pocketsphinx')?.name).toBe('pocketsphinx');
    }
  });
});
