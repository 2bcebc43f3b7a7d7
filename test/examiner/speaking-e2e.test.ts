import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { prepareAnswers, runCandidate } from '../../bench/demo/candidate.ts';
import { loadConfig } from '../../src/config.ts';
import { type RunningServer, startServer } from '../../src/examiner/main.ts';
import { silentLogger } from '../../src/log.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('a whole speaking test over the real WebSocket, clocks 40x', () => {
  let server: RunningServer;
  let inspected: string[] = [];
  let relay: WebSocket;

  beforeAll(async () => {
    const inspectPort = await freePort();
    server = await startServer(
      loadConfig({
        PORT: '0',
        TIME_SCALE: '40',
        RECOGNISER: 'none',
        XSTATE_INSPECT: '1',
        XSTATE_INSPECT_PORT: String(inspectPort),
      }),
      silentLogger,
    );
    relay = new WebSocket(`ws://127.0.0.1:${inspectPort}`);
    relay.on('message', (data) => inspected.push(data.toString()));
    await new Promise((resolve, reject) => relay.once('open', resolve).once('error', reject));
  });

  afterAll(async () => {
    relay?.close();
    await server?.close();
  });

  it('visits every state in order, scores the test and stores the result', async () => {
    inspected = [];
    const report = await runCandidate({
      baseUrl: server.url,
      fast: 40,
      answers: await prepareAnswers(),
    });
    const parts = report.states.map((s) => s.state);
    expect(parts[0]).toBe('intro');
    expect(parts.at(-1)).toBe('done');
    const order = ['intro', 'part1', 'part2.cueCard', 'part2.preparing', 'part2.speaking', 'part3'];
    const indexes = order.map((s) => parts.indexOf(s));
    expect(indexes.every((i) => i >= 0)).toBe(true);
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    expect(report.examinerTurns).toBeGreaterThanOrEqual(12);
    expect(report.candidateTurns).toBeGreaterThanOrEqual(10);
    expect(report.result?.overall).toBeGreaterThanOrEqual(1);
    expect(report.errors).toEqual([]);
    // Offline and without a recogniser, transcripts are marked unavailable, never invented.
    expect(report.transcripts.final).toBe(0);
    expect(report.transcripts.unavailable).toBe(report.candidateTurns);
    const states = report.states.map((s) => s.at);
    expect(states.at(-1)).toBeLessThanOrEqual(14 * 60_000);

    const stored = await server.store.get(report.assessmentId ?? '');
    expect(stored?.result.overall).toBe(report.result?.overall);
    expect(stored?.result.estimate).toBe(true);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/examiner_transitions_total\{from="part1",to="part2.cueCard"\} 1/);
    expect(metrics).toMatch(/examiner_turn_latency_seconds_count [1-9]/);
    expect(metrics).toMatch(/examiner_sessions_ended_total\{outcome="completed"\} 1/);

    // The inspector relay saw the examiner actor and its snapshots.
    expect(inspected.some((m) => m.includes('@xstate.actor'))).toBe(true);
    expect(inspected.some((m) => m.includes('part2'))).toBe(true);
  }, 60_000);
});
