import { afterEach, describe, expect, it } from 'vitest';
import type { NovaSonicEngine } from '../../../src/adapters/bedrock/nova-sonic/engine.ts';
import type { SpeechStream } from '../../../src/domain/ports/speech-engine.ts';
import {
  type LocalBedrock,
  type LocalBedrockOptions,
  startLocalBedrock,
} from '../../support/bedrock-local/server.ts';
import {
  BYTES_PER_MS,
  harness,
  speak,
  useCandidateVoices,
  voices,
} from '../../support/nova-harness.ts';

useCandidateVoices();

// Each test starts its own local Bedrock server and streams; both are torn down after it.
let server: LocalBedrock;
let open: Array<{ stream: SpeechStream; engine: NovaSonicEngine }> = [];
afterEach(async () => {
  for (const { stream, engine } of open) {
    await stream.close();
    engine.close();
  }
  open = [];
  await server?.close();
});

describe('NovaSonicEngine through the real SDK against the local Bedrock server', () => {
  const start = async (options: LocalBedrockOptions = {}) => {
    server = await startLocalBedrock({ audioPacing: 20, ...options });
    return server;
  };

  it('voices a line and turns candidate speech into a turn and a transcript', async () => {
    await start({ transcript: () => 'I am from Porto' });
    const h = await harness(server);
    open.push(h);
    const said = await h.stream.say('Hello. Where are you from?');
    expect(said.durationMs).toBeGreaterThan(500);
    expect(Math.abs(h.rec.audioBytes - said.durationMs * 48)).toBeLessThan(48);
    h.stream.listen(true);
    await speak(h.stream, voices.answer);
    await expect.poll(() => h.rec.transcripts.length, { timeout: 5000 }).toBe(1);
    expect(h.rec.stopped).toHaveLength(1);
    expect(h.rec.transcripts[0]).toMatchObject({
      status: 'final',
      text: 'I am from Porto',
      recogniser: 'nova-sonic',
    });
    expect(h.failed).toEqual([]);
  });
});

describe('NovaSonicEngine stream life and faults', () => {
  const lead = Buffer.alloc(1000 * BYTES_PER_MS);
  /** One exchange as the service runs it: a line, then the candidate answers. */
  async function exchange(
    h: Awaited<ReturnType<typeof harness>>,
    line: string,
    pcm = voices.answer,
  ) {
    await h.stream.say(line);
    h.stream.listen(true);
    await speak(h.stream, Buffer.concat([lead, pcm]), 2400);
    h.stream.listen(false);
  }

  it('rotates before a 5 s stream limit and loses no turn', async () => {
    let turns = 0;
    server = await startLocalBedrock({
      audioPacing: 20,
      maxStreamMs: 5000,
      transcript: () => `answer ${++turns}`,
    });
    // A threshold well under the limit, as in production (6 of 8 minutes): a stream must be
    // replaced at the first quiet moment, since one exchange nearly fills a 5 s stream.
    const h = await harness(server, { rotateAfterMs: 1500 });
    open.push(h);
    // Each exchange (a short line, a short voices.answer, the end-of-turn pause) takes about 4 s, so
    // no stream survives two of them: every one must rotate between turns.
    for (let i = 0; i < 4; i++) await exchange(h, `Question ${i + 1}?`, voices.shortAnswer);
    await expect.poll(() => h.rec.transcripts.length, { timeout: 5000 }).toBe(4);
    expect(h.rec.transcripts.map((t) => t.status)).toEqual(['final', 'final', 'final', 'final']);
    expect(h.rec.stopped).toHaveLength(4);
    expect(h.opened.filter((r) => r === 'rotate').length).toBeGreaterThanOrEqual(2);
    expect(h.failed).toEqual([]);
    expect(server.streams.every((s) => s.signatureFailures === 0)).toBe(true);
  }, 60_000);

  it('flushes the client on barge-in and ends the line early', async () => {
    server = await startLocalBedrock({ audioPacing: 1 });
    const h = await harness(server);
    open.push(h);
    const line =
      'Now I am going to give you a topic and I would like you to talk about it for one to two ' +
      'minutes. Before you talk you will have one minute to think about what you are going to say.';
    const started = Date.now();
    const said = h.stream.say(line);
    await new Promise((r) => setTimeout(r, 1500));
    await speak(h.stream, voices.answer, 500);
    await said;
    expect(h.rec.cleared).toBeGreaterThanOrEqual(1);
    // The line is about ten seconds long; the candidate cut it short.
    expect(Date.now() - started).toBeLessThan(8000);
  }, 30_000);

  it('does not relay a reply the model makes on its own', async () => {
    server = await startLocalBedrock({ audioPacing: 20, replyToSpeech: true });
    const h = await harness(server);
    open.push(h);
    await h.stream.say('Where are you from?');
    const afterLine = h.rec.audioBytes;
    h.stream.listen(true);
    await speak(h.stream, voices.answer);
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.rec.audioBytes).toBe(afterLine);
  }, 30_000);
});
