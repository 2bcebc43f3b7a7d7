import { describe, expect, it } from 'vitest';
import { startLocalBedrock } from '../../support/bedrock-local/server.ts';
import { harness, useCandidateVoices } from '../../support/nova-harness.ts';

useCandidateVoices();

describe('NovaSonicEngine through a silent Part 2 preparation', () => {
  it('keeps the stream alive through 60 s without candidate audio', async () => {
    const server = await startLocalBedrock({ audioPacing: 20, inputTimeoutMs: 10_000 });
    const h = await harness(server);
    try {
      await h.stream.say('You have one minute to prepare.');
      await new Promise((r) => setTimeout(r, 61_000));
      await h.stream.say('Please start speaking now.');
      expect(h.failed).toEqual([]);
      expect(h.opened).toEqual(['start']);
      expect(server.streams[0]?.errors).toEqual([]);
    } finally {
      await h.stream.close();
      h.engine.close();
      await server.close();
    }
  }, 90_000);
});
