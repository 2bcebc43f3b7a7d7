import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareAnswers, runCandidate } from '../../bench/demo/candidate.ts';
import { loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/examiner/main.ts';
import { silentLogger } from '../../src/log.ts';
import { type LocalBedrock, startLocalBedrock } from '../support/bedrock-local/server.ts';

describe('a whole speaking test through NovaSonicEngine and the real SDK, clocks 30x', () => {
  let bedrock: LocalBedrock;
  let server: RunningServer;
  const spoken: string[] = [];

  beforeAll(async () => {
    bedrock = await startLocalBedrock({ audioPacing: 30, transcript: () => spoken.shift() ?? '' });
    process.env.AWS_ACCESS_KEY_ID = bedrock.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = bedrock.credentials.secretAccessKey;
    server = await startServer(
      loadConfig({
        PORT: '0',
        TIME_SCALE: '30',
        SPEECH_ENGINE: 'nova-sonic',
        NOVA_SONIC_ENDPOINT: bedrock.endpoint,
      }),
      silentLogger,
    );
  });

  afterAll(async () => {
    await server?.close();
    await bedrock?.close();
  });

  it('completes with the candidate heard, transcribed and scored', async () => {
    const report = await runCandidate({
      baseUrl: server.url,
      fast: 30,
      answers: await prepareAnswers(),
      onAnswer: (text) => spoken.push(text),
    });
    const states = report.states.map((s) => s.state);
    expect(states[0]).toBe('intro');
    expect(states).toContain('part2.preparing');
    expect(states).toContain('part3');
    expect(states.at(-1)).toBe('done');
    expect(report.errors).toEqual([]);
    expect(report.examinerTurns).toBeGreaterThanOrEqual(12);
    expect(report.candidateTurns).toBeGreaterThanOrEqual(10);
    // Transcripts come back from the model: the candidate's own scripted words.
    expect(report.transcripts.final).toBeGreaterThanOrEqual(10);
    expect(report.result?.overall).toBeGreaterThanOrEqual(1);
    // Parts are separate model streams, and every stream was signed correctly.
    expect(bedrock.streams.length).toBeGreaterThanOrEqual(4);
    expect(bedrock.streams.every((s) => s.signatureFailures === 0 && s.errors.length === 0)).toBe(
      true,
    );
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      /speech_engine_stream_opens_total\{engine="nova-sonic",reason="rotate"\} [1-9]/,
    );
  }, 90_000);
});
