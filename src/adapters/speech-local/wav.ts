/** The parts of a RIFF/WAVE file the speech adapters need. */
export interface WavAudio {
  /** 1 is integer PCM; 0xfffe is WAVE_FORMAT_EXTENSIBLE. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** The sample bytes, a view into the parsed buffer. */
  data: Buffer;
}

export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

const HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

/**
 * Walks the chunks instead of assuming a 44-byte header, because writers add LIST/fact chunks
 * and streaming writers leave the data size as a placeholder.
 */
export function parseWav(buffer: Buffer): WavAudio {
  if (
    buffer.length < HEADER_BYTES ||
    buffer.toString('latin1', 0, 4) !== 'RIFF' ||
    buffer.toString('latin1', 8, 12) !== 'WAVE'
  ) {
    throw new WavFormatError('not a RIFF/WAVE file');
  }

  let fmt: Omit<WavAudio, 'data'> | undefined;
  let data: Buffer | undefined;
  let blockAlign = 1;
  let offset = HEADER_BYTES;

  while (offset + CHUNK_HEADER_BYTES <= buffer.length) {
    const id = buffer.toString('latin1', offset, offset + 4);
    const declared = buffer.readUInt32LE(offset + 4);
    const body = offset + CHUNK_HEADER_BYTES;
    const size = Math.min(declared, buffer.length - body);

    if (id === 'fmt ') {
      if (size < 16) throw new WavFormatError('fmt chunk too short');
      fmt = {
        format: buffer.readUInt16LE(body),
        channels: buffer.readUInt16LE(body + 2),
        sampleRate: buffer.readUInt32LE(body + 4),
        bitsPerSample: buffer.readUInt16LE(body + 14),
      };
      blockAlign = Math.max(1, buffer.readUInt16LE(body + 12));
    } else if (id === 'data') {
      data = buffer.subarray(body, body + size);
    }
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    offset = body + declared + (declared % 2);
  }

  if (!fmt) throw new WavFormatError('missing fmt chunk');
  if (!data) throw new WavFormatError('missing data chunk');
  if (fmt.channels < 1 || fmt.sampleRate < 1) throw new WavFormatError('invalid fmt chunk');
  const whole = data.length - (data.length % blockAlign);
  return { ...fmt, data: data.subarray(0, whole) };
}

/** Wraps PCM16LE samples in a canonical 44-byte WAV header. */
export function encodeWav(pcm: Buffer, sampleRate: number, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = channels * 2;
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
