import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, WavFormatError } from '../../../src/adapters/speech-local/wav.ts';
import { sine } from './fixtures.ts';

function chunk(id: string, body: Buffer, declaredSize = body.length): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(declaredSize, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

function fmtBody(rate: number, channels = 1, bits = 16): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(1, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE((rate * channels * bits) / 8, 8);
  body.writeUInt16LE((channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  return body;
}

function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('parseWav', () => {
  it('round-trips what encodeWav writes', () => {
    const pcm = sine(50);
    const wav = parseWav(encodeWav(pcm, 16_000));
    expect(wav).toMatchObject({ format: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
    expect(wav.data.equals(pcm)).toBe(true);
  });

  it('finds fmt and data past other chunks, honouring odd-size padding', () => {
    const pcm = sine(20, { rate: 22_050 });
    const file = riff(
      chunk('LIST', Buffer.from('odd', 'latin1')),
      chunk('fmt ', fmtBody(22_050)),
      chunk('fact', Buffer.alloc(4)),
      chunk('data', pcm),
    );
    const wav = parseWav(file);
    expect(wav.sampleRate).toBe(22_050);
    expect(wav.data.equals(pcm)).toBe(true);
  });

  it('clamps a placeholder data size to the bytes present', () => {
    const pcm = sine(20);
    const wav = parseWav(riff(chunk('fmt ', fmtBody(16_000)), chunk('data', pcm, 0xffffffff)));
    expect(wav.data.equals(pcm)).toBe(true);
  });

  it('drops a trailing partial sample frame', () => {
    const pcm = Buffer.concat([sine(10), Buffer.from([1])]);
    const wav = parseWav(riff(chunk('fmt ', fmtBody(16_000)), chunk('data', pcm)));
    expect(wav.data.length).toBe(pcm.length - 1);
  });

  it('rejects what is not a usable WAV', () => {
    expect(() => parseWav(Buffer.from('not a wav file at all'))).toThrow(WavFormatError);
    expect(() => parseWav(riff(chunk('data', sine(10))))).toThrow(/fmt/);
    expect(() => parseWav(riff(chunk('fmt ', fmtBody(16_000))))).toThrow(/data/);
  });
});
