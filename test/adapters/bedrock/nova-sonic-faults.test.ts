import { describe, expect, it } from 'vitest';
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

describe('NovaSonicEngine recovers from faults', () => {
  // Every case has its own server and stream, so the cases run side by side in real time.
  async function withEngine(
    options: LocalBedrockOptions,
    run: (server: LocalBedrock, h: Awaited<ReturnType<typeof harness>>) => Promise<void>,
  ): Promise<void> {
    const server = await startLocalBedrock({ audioPacing: 20, ...options });
    const h = await harness(server);
    try {
      await run(server, h);
    } finally {
      await h.stream.close();
      h.engine.close();
      await server.close();
    }
  }

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

  const faults = [
    { kind: 'exception', type: 'modelStreamErrorException' },
    { kind: 'exception', type: 'throttlingException' },
    { kind: 'exception', type: 'modelTimeoutException' },
    { kind: 'exception', type: 'internalServerException' },
    { kind: 'exception', type: 'serviceUnavailableException' },
    { kind: 'error-frame', code: 'InternalFailure', message: 'boom' },
    { kind: 'rst' },
    { kind: 'stall' },
  ] as const;

  it.concurrent.for(faults)(
    'recovers from $kind $type mid-stream and the test goes on',
    { timeout: 60_000 },
    // Concurrent cases need their own `expect`, for expect.poll to know its test.
    async (fault, { expect }) =>
      withEngine({ transcript: () => 'fine thanks' }, async (server, h) => {
        await exchange(h, 'How are you today?', voices.shortAnswer);
        server.injectLive(fault);
        await new Promise((r) => setTimeout(r, 300));
        await exchange(h, 'And where do you live?', voices.shortAnswer);
        await expect.poll(() => h.rec.transcripts.length, { timeout: 5000 }).toBe(2);
        expect(h.failed.length).toBeGreaterThanOrEqual(1);
        expect(h.opened).toContain('reconnect');
        expect(h.rec.errors).toEqual([]);
      }),
  );

  it('recovers when Bedrock refuses the stream with HTTP 429', async () => {
    const server = await startLocalBedrock({ audioPacing: 20 });
    server.injectNext({ kind: 'http', status: 429, errorType: 'ThrottlingException' });
    const h = await harness(server);
    try {
      await h.stream.say('Good afternoon.');
      expect(h.failed).toContain('ThrottlingException');
      expect(h.opened).toEqual(['start', 'reconnect']);
    } finally {
      await h.stream.close();
      h.engine.close();
      await server.close();
    }
  }, 30_000);
});
