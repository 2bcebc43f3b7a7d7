import { runEspeak } from './espeak-pool.ts';
import { resamplePcm16 } from './resample.ts';
import { parseWav } from './wav.ts';

/** The examiner's audio format on the SpeechEngine port. */
export const EXAMINER_SAMPLE_RATE = 24_000;
export const DEFAULT_VOICE = 'en-gb';
export const DEFAULT_WORDS_PER_MINUTE = 160;

export interface SynthesiseOptions {
  /** An espeak-ng voice name such as `en-gb` or `en-us`. */
  voice?: string;
  /** Output rate of the PCM16LE mono audio; 24 kHz for the examiner, 16 kHz for test clients. */
  sampleRate?: number;
  wordsPerMinute?: number;
}

/** espeak-ng is an optional (GPL-3.0) dependency: it is not installed or will not load. */
export class EspeakUnavailableError extends Error {
  override name = 'EspeakUnavailableError';
}

/** espeak-ng loaded but produced no usable audio (an unknown voice, for instance). */
export class SynthesisFailedError extends Error {
  override name = 'SynthesisFailedError';
}

interface EspeakInstance {
  FS: { readFile(path: string): Uint8Array };
}

type EspeakFactory = (module: {
  arguments: string[];
  print(text: string): void;
  printErr(text: string): void;
}) => Promise<EspeakInstance>;

const OUTPUT_FILE = 'out.wav';
const VOICE_NAME = /^[a-z0-9][a-z0-9_+-]*$/i;

/**
 * Loads the espeak-ng module lazily. The specifier is a variable so the type checker and bundlers
 * do not require the optional package to be present.
 */
export async function loadEspeak(specifier = 'espeak-ng'): Promise<EspeakFactory> {
  let loaded: { default?: unknown };
  try {
    loaded = await import(/* @vite-ignore */ specifier);
  } catch (cause) {
    throw new EspeakUnavailableError(
      'espeak-ng is not installed; install the optional dependency to use the offline voice',
      { cause },
    );
  }
  if (typeof loaded.default !== 'function') {
    throw new EspeakUnavailableError('espeak-ng did not export a module factory');
  }
  return loaded.default as EspeakFactory;
}

/**
 * Speaks one line into PCM16LE mono audio at `sampleRate` (24 kHz by default). Each call runs a
 * fresh WASM instance so no synthesiser memory outlives the line.
 */
export async function synthesise(text: string, options: SynthesiseOptions = {}): Promise<Buffer> {
  const voice = options.voice ?? DEFAULT_VOICE;
  const sampleRate = options.sampleRate ?? EXAMINER_SAMPLE_RATE;
  const wordsPerMinute = options.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE;
  if (!VOICE_NAME.test(voice)) throw new RangeError('invalid espeak-ng voice name');
  if (!Number.isInteger(sampleRate) || sampleRate < 8000) {
    throw new RangeError('sampleRate must be an integer of at least 8000');
  }
  if (!Number.isInteger(wordsPerMinute) || wordsPerMinute < 80 || wordsPerMinute > 450) {
    throw new RangeError('wordsPerMinute must be an integer between 80 and 450');
  }
  if (text.trim() === '') return Buffer.alloc(0);

  // Fails clearly when the optional package is missing; the synthesis itself runs on a worker.
  await loadEspeak();
  let file: Uint8Array;
  try {
    // `--` ends option parsing so a line starting with '-' is spoken, not read as a flag.
    const args = ['-v', voice, '-s', String(wordsPerMinute), '-w', OUTPUT_FILE, '--', text];
    file = await runEspeak(args, OUTPUT_FILE);
  } catch (cause) {
    // The messages are espeak's own diagnostics (an unknown voice, say), never the spoken text.
    const errors = (cause as { errors?: string[] }).errors ?? [];
    throw new SynthesisFailedError(`espeak-ng produced no audio: ${errors.join('; ')}`, { cause });
  }

  const wav = parseWav(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  if (wav.format !== 1 || wav.channels !== 1 || wav.bitsPerSample !== 16) {
    throw new SynthesisFailedError('espeak-ng produced audio that is not 16-bit mono PCM');
  }
  return resamplePcm16(wav.data, wav.sampleRate, sampleRate);
}
