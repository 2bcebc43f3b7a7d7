import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from 'xstate';
import { synthesise } from '../../../src/adapters/speech-local/espeak-voice.ts';
import { OfflineSpeechEngine } from '../../../src/adapters/speech-local/offline-engine.ts';
import type { Recogniser } from '../../../src/adapters/speech-local/pocketsphinx-recogniser.ts';
import {
  findExecutable,
  POCKETSPHINX_BINARY,
  PocketsphinxRecogniser,
} from '../../../src/adapters/speech-local/pocketsphinx-recogniser.ts';
import type {
  CandidateTurn,
  SpeechStreamHandlers,
  TranscriptResult,
} from '../../../src/domain/ports/speech-engine.ts';
import { silence } from './fixtures.ts';

type Event =
  | { type: 'started'; at: number }
  | { type: 'stopped'; turn: CandidateTurn }
  | { type: 'transcript'; result: TranscriptResult };

function recorder() {
  const audio: Buffer[] = [];
  const events: Event[] = [];
  const handlers: SpeechStreamHandlers = {
    examinerAudio: (pcm) => audio.push(pcm),
    candidateStarted: (at) => events.push({ type: 'started', at }),
    candidateStopped: (turn) => events.push({ type: 'stopped', turn }),
    transcript: (result) => events.push({ type: 'transcript', result }),
    error: (error) => {
      throw error;
    },
  };
  const audioBytes = () => audio.reduce((sum, chunk) => sum + chunk.length, 0);
  return { audio, events, handlers, audioBytes };
}

async function open(options: ConstructorParameters<typeof OfflineSpeechEngine>[0] = {}) {
  const clock = new SimulatedClock();
  clock.set(1_000_000);
  const record = recorder();
  const engine = new OfflineSpeechEngine(options);
  const stream = await engine.open({ sessionId: 's-1', clock, handlers: record.handlers });
  return { clock, stream, ...record };
}

function track<T>(promise: Promise<T>) {
  const state = { settled: false };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const LINE = "Let's talk about your home town.";
const ANSWER = 'I live in a small town near the sea and I walk my dog every morning.';

describe('OfflineSpeechEngine', () => {
  it('voices a line in 100 ms chunks and resolves after its duration of clock time', async () => {
    const { clock, stream, audio, audioBytes } = await open();
    const saying = stream.say(LINE);
    const state = track(saying);
    await vi.waitFor(() => expect(audio.length).toBeGreaterThan(0));
    await flush();

    expect(audio.slice(0, -1).every((chunk) => chunk.length === 4800)).toBe(true);
    expect(audio.at(-1)?.length).toBeLessThanOrEqual(4800);
    const durationMs = Math.round(audioBytes() / 48);
    expect(durationMs).toBeGreaterThan(1000);

    clock.increment(durationMs - 1);
    await flush();
    expect(state.settled).toBe(false);
    clock.increment(1);
    await expect(saying).resolves.toEqual({ durationMs });
  });

  it('rejects with an AbortError and stops when the signal aborts', async () => {
    const { clock, stream, audio } = await open();
    const controller = new AbortController();
    const saying = stream.say(LINE, controller.signal);
    await vi.waitFor(() => expect(audio.length).toBeGreaterThan(0));
    controller.abort();
    await expect(saying).rejects.toMatchObject({ name: 'AbortError' });
    expect(() => clock.increment(60_000)).not.toThrow();

    const before = audio.length;
    const early = new AbortController();
    early.abort();
    await expect(stream.say(LINE, early.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(audio.length).toBe(before);
  });

  it('plays concurrent lines one after the other', async () => {
    const { clock, stream, audioBytes } = await open();
    const firstBytes = (await synthesise(LINE)).length;
    const first = stream.say(LINE);
    const second = stream.say('And what do you like about it?');
    await vi.waitFor(() => expect(audioBytes()).toBe(firstBytes));
    // Long enough for the second line to be synthesised were it not waiting for the first.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(audioBytes()).toBe(firstBytes);

    clock.increment(Math.round(firstBytes / 48));
    await expect(first).resolves.toEqual({ durationMs: Math.round(firstBytes / 48) });
    await vi.waitFor(() => expect(audioBytes()).toBeGreaterThan(firstBytes));
    await flush();
    const secondMs = Math.round((audioBytes() - firstBytes) / 48);
    clock.increment(secondMs);
    await expect(second).resolves.toEqual({ durationMs: secondMs });
  });

  it('reports started, stopped and then the transcript for a heard turn', async () => {
    const transcribe = vi.fn(async (pcm: Buffer) => `heard ${pcm.length > 32_000 ? 'speech' : ''}`);
    const { clock, stream, events } = await open({ recogniser: { name: 'fake', transcribe } });
    const speech = await synthesise(ANSWER, { sampleRate: 16_000 });

    stream.pushAudio(silence(300));
    expect(events).toEqual([]);
    stream.listen(true);
    stream.pushAudio(silence(300));
    for (let i = 0; i < speech.length; i += 3200) {
      stream.pushAudio(speech.subarray(i, i + 3200));
      clock.increment(100);
    }
    expect(events.map((event) => event.type)).toEqual(['started']);
    for (let i = 0; i < 25; i++) {
      stream.pushAudio(silence(100));
      clock.increment(100);
    }
    await vi.waitFor(() => expect(events).toHaveLength(3));

    const [started, stopped, transcript] = events;
    expect(started).toEqual({ type: 'started', at: 1_000_000 });
    expect(stopped?.type).toBe('stopped');
    const turn = (stopped as { turn: CandidateTurn }).turn;
    expect(turn).toMatchObject({ turnId: 1, startedAt: 1_000_000, pauseCount: 0 });
    expect(turn.endedAt).toBeGreaterThan(turn.startedAt);
    expect(turn.speechMs).toBeGreaterThan(2000);
    expect(turn.runsMs.reduce((a, b) => a + b, 0)).toBe(turn.speechMs);
    expect(transcript).toEqual({
      type: 'transcript',
      result: {
        turnId: 1,
        status: 'final',
        text: 'heard speech',
        recogniser: 'fake',
        speechMs: turn.speechMs,
      },
    });
    const heard = transcribe.mock.calls[0]?.[0] as Buffer;
    expect(heard.length / 32).toBeGreaterThan(turn.speechMs);
    expect(heard.length / 32).toBeLessThan(turn.speechMs + 1000);
  });

  it.skipIf(!findExecutable(POCKETSPHINX_BINARY))('transcribes with pocketsphinx', async () => {
    const { stream, events } = await open({ recogniser: new PocketsphinxRecogniser() });
    stream.listen(true);
    stream.pushAudio(await synthesise(ANSWER, { voice: 'en-us', sampleRate: 16_000 }));
    stream.pushAudio(silence(2500));
    await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: 15_000 });
    expect(events[2]).toMatchObject({
      type: 'transcript',
      result: { status: 'final', recogniser: 'pocketsphinx', text: expect.any(String) },
    });
  });

  it('says unavailable without a recogniser, and after a recogniser error', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const failing: Recogniser = {
      name: 'broken',
      transcribe: async () => {
        throw new Error('decoder crashed');
      },
    };
    for (const recogniser of [null, failing]) {
      const { stream, events } = await open({ recogniser, logger, endOfTurnMs: 500 });
      stream.listen(true);
      stream.pushAudio(await synthesise('Yes, I do.', { sampleRate: 16_000 }));
      stream.pushAudio(silence(600));
      await vi.waitFor(() => expect(events).toHaveLength(3));
      expect(events[2]).toMatchObject({
        type: 'transcript',
        result: { turnId: 1, status: 'unavailable', text: null, recogniser: null },
      });
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'speech recognition failed',
      sessionId: 's-1',
      turnId: 1,
    });
  });

  it('drops a half-heard turn when listening stops', async () => {
    const transcribe = vi.fn(async () => 'never');
    const { stream, events } = await open({ recogniser: { name: 'fake', transcribe } });
    stream.listen(true);
    stream.pushAudio(await synthesise(ANSWER, { sampleRate: 16_000 }));
    stream.listen(false);
    stream.pushAudio(silence(3000));
    stream.listen(true);
    stream.pushAudio(silence(3000));
    await flush();
    expect(events.map((event) => event.type)).toEqual(['started']);
    expect(transcribe).not.toHaveBeenCalled();
  });

  it('stops everything on close and ignores later calls', async () => {
    const { clock, stream, audio, events } = await open();
    const saying = stream.say(LINE);
    await vi.waitFor(() => expect(audio.length).toBeGreaterThan(0));
    await stream.close();
    await expect(saying).rejects.toMatchObject({ name: 'AbortError' });

    const before = audio.length;
    await expect(stream.say(LINE)).resolves.toEqual({ durationMs: 0 });
    stream.listen(true);
    stream.pushAudio(await synthesise(ANSWER, { sampleRate: 16_000 }));
    stream.pushAudio(silence(3000));
    clock.increment(10_000);
    await stream.close();
    expect(audio.length).toBe(before);
    expect(events).toEqual([]);
  });
});
