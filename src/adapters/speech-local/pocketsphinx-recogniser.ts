import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { encodeWav } from './wav.ts';

/** Turns one candidate turn into text; null when it heard no words. */
export interface Recogniser {
  readonly name: string;
  transcribe(pcm16k: Buffer, signal?: AbortSignal): Promise<string | null>;
}

export type RecogniserMode = 'auto' | 'pocketsphinx' | 'none';

export const POCKETSPHINX_BINARY = 'pocketsphinx_continuous';
const SAMPLE_RATE = 16_000;
const MAX_STDOUT_BYTES = 256 * 1024;

export class RecogniserUnavailableError extends Error {
  override name = 'RecogniserUnavailableError';
}

export class RecognitionFailedError extends Error {
  override name = 'RecognitionFailedError';
}

/** The absolute path of an executable on the search path, or null. */
export function findExecutable(
  command: string,
  searchPath = process.env.PATH ?? '',
): string | null {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return null;
}

export interface PocketsphinxOptions {
  binary?: string;
  /** Fixed allowance on top of one second per second of audio (it decodes at about 3x). */
  baseTimeoutMs?: number;
}

/** Debian's pocketsphinx_continuous with its packaged US English model, one process per turn. */
export class PocketsphinxRecogniser implements Recogniser {
  readonly name = 'pocketsphinx';
  private readonly binary: string;
  private readonly baseTimeoutMs: number;

  constructor(options: PocketsphinxOptions = {}) {
    this.binary = options.binary ?? POCKETSPHINX_BINARY;
    this.baseTimeoutMs = options.baseTimeoutMs ?? 15_000;
  }

  async transcribe(pcm16k: Buffer, signal?: AbortSignal): Promise<string | null> {
    signal?.throwIfAborted();
    if (pcm16k.length < 2) return null;
    const file = join(tmpdir(), `pocketsphinx-${randomUUID()}.wav`);
    // Candidate speech is personal data: only this user may read the file while it exists.
    await writeFile(file, encodeWav(pcm16k, SAMPLE_RATE), { flag: 'wx', mode: 0o600 });
    try {
      const timeoutMs = this.baseTimeoutMs + Math.ceil(pcm16k.length / 2 / (SAMPLE_RATE / 1000));
      const stdout = await this.run(['-infile', file, '-logfn', devNull], timeoutMs, signal);
      const text = stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .join(' ');
      return text === '' ? null : text;
    } finally {
      await rm(file, { force: true });
    }
  }

  private run(args: string[], timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'ignore'], signal });
      const chunks: Buffer[] = [];
      let bytes = 0;
      let settled = false;
      const settle = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(Buffer.concat(chunks).toString('utf8'));
      };
      // Settles at once rather than on 'close', which a grandchild holding stdout could delay.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(new RecognitionFailedError('pocketsphinx timed out'));
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        if (bytes + chunk.length <= MAX_STDOUT_BYTES) chunks.push(chunk);
        bytes += chunk.length;
      });
      child.on('error', (error) => {
        settle(
          error.name === 'AbortError'
            ? error
            : new RecognitionFailedError('pocketsphinx could not be started', { cause: error }),
        );
      });
      child.on('close', (code, killedBy) => {
        settle(
          code === 0
            ? null
            : new RecognitionFailedError(`pocketsphinx exited with ${code ?? killedBy}`),
        );
      });
    });
  }
}

/**
 * The recogniser a setting asks for. `auto` quietly falls back to none, because transcripts are
 * optional; asking for pocketsphinx by name when it is missing is a configuration error.
 */
export function detectRecogniser(
  mode: RecogniserMode,
  options: { searchPath?: string } = {},
): Recogniser | null {
  if (mode === 'none') return null;
  const binary = findExecutable(POCKETSPHINX_BINARY, options.searchPath);
  if (binary) return new PocketsphinxRecogniser({ binary });
  if (mode === 'pocketsphinx') {
    throw new RecogniserUnavailableError(`${POCKETSPHINX_BINARY} was not found on the PATH`);
  }
  return null;
}
