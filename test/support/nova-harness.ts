import { beforeAll } from 'vitest';
import { NovaSonicEngine } from '../../src/adapters/bedrock/nova-sonic/engine.ts';
import { synthesise } from '../../src/adapters/speech-local/espeak-voice.ts';
import { systemClock } from '../../src/domain/clock.ts';
import type {
  CandidateTurn,
  SpeechStream,
  TranscriptResult,
} from '../../src/domain/ports/speech-engine.ts';
import type { LocalBedrock } from './bedrock-local/server.ts';

export const BYTES_PER_MS = 32;

function recorder() {
  return {
    audioBytes: 0,
    cleared: 0,
    started: 0,
    stopped: [] as CandidateTurn[],
    transcripts: [] as TranscriptResult[],
    errors: [] as Error[],
  };
}

export async function harness(
  server: LocalBedrock,
  engineOptions: Partial<ConstructorParameters<typeof NovaSonicEngine>[0]> = {},
) {
  const rec = recorder();
  const opened: string[] = [];
  const failed: string[] = [];
  const engine = new NovaSonicEngine({
    region: server.region,
    modelId: 'amazon.nova-2-sonic-v1:0',
    voiceId: 'amy',
    endpoint: server.endpoint,
    credentials: server.credentials,
    backoffMs: [50, 100, 200, 400, 800],
    lineTimeoutMs: 3000,
    transcriptWaitMs: 2000,
    observer: {
      streamOpened: (reason) => opened.push(reason),
      streamFailed: (name) => failed.push(name),
    },
    ...engineOptions,
  });
  const stream = await engine.open({
    sessionId: 's-test',
    clock: systemClock,
    handlers: {
      examinerAudio: (pcm) => {
        rec.audioBytes += pcm.length;
      },
      examinerAudioCleared: () => {
        rec.cleared += 1;
      },
      candidateStarted: () => {
        rec.started += 1;
      },
      candidateStopped: (turn) => rec.stopped.push(turn),
      transcript: (t) => rec.transcripts.push(t),
      error: (e) => rec.errors.push(e),
    },
  });
  return { engine, stream, rec, opened, failed };
}

/** Streams PCM in real time, 32 ms a frame, like a microphone. */
export async function speak(
  stream: SpeechStream,
  pcm: Buffer,
  silenceAfterMs = 2600,
): Promise<void> {
  const all = Buffer.concat([pcm, Buffer.alloc(silenceAfterMs * BYTES_PER_MS)]);
  const frame = 1024;
  const started = Date.now();
  for (let offset = 0; offset < all.length; offset += frame) {
    stream.pushAudio(all.subarray(offset, offset + frame));
    const due = started + (offset + frame) / BYTES_PER_MS;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/** Candidate speech, synthesised once per test file. */
export const voices: { answer: Buffer; shortAnswer: Buffer } = {
  answer: Buffer.alloc(0),
  shortAnswer: Buffer.alloc(0),
};

export function useCandidateVoices(): void {
  beforeAll(async () => {
    voices.shortAnswer = await synthesise('Yes, I do.', { sampleRate: 16_000, voice: 'en-us' });
    voices.answer = await synthesise('I am from Porto in the north of Portugal.', {
      sampleRate: 16_000,
      voice: 'en-us',
    });
  });
}
