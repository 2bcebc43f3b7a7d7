import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CreatedSession,
  createSession,
  openStream,
  reissueTicket,
  startTestServer,
  type TestServer,
  type TestStream,
  waitForLog,
} from '../support/server-harness.ts';

const LIMIT = 64 * 1024;
/** 20 ms of 16 kHz PCM16 silence: the smallest frame the protocol asks clients to send. */
const FRAME_20MS = Buffer.alloc(640);

async function protocolErrorCount(server: TestServer, code: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`examiner_protocol_errors_total{code="${code}"} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

function refusalLogs(server: TestServer, sessionId: string, code: string): number {
  return server.logs.filter(
    (l) => l.msg === 'client input refused' && l.sessionId === sessionId && l.code === code,
  ).length;
}

function streamRefusalLogs(server: TestServer, code: string): number {
  return server.logs.filter((l) => l.msg === 'stream refused' && l.code === code).length;
}

async function expectAlive(stream: TestStream): Promise<void> {
  stream.sendJson({ type: 'ping', id: 'x' });
  expect(await stream.next('pong')).toEqual({ type: 'pong', id: 'x' });
}

async function connect(
  server: TestServer,
): Promise<{ session: CreatedSession; stream: TestStream }> {
  const session = await createSession(server);
  const stream = openStream(server, session.streamPath);
  expect(await stream.next('ready')).toMatchObject({
    type: 'ready',
    protocol: 1,
    sessionId: session.sessionId,
    resumed: false,
  });
  return { session, stream };
}

/**
 * One bad input: exactly one typed error, one log line and one metric count, and the socket
 * still answers afterwards. The pong also proves no second error was queued behind the first.
 */
async function expectRefused(
  server: TestServer,
  session: CreatedSession,
  stream: TestStream,
  send: () => void,
  code: string,
): Promise<void> {
  const countBefore = await protocolErrorCount(server, code);
  const logsBefore = refusalLogs(server, session.sessionId, code);
  send();
  expect(await stream.next('error')).toEqual({ type: 'error', code, message: expect.any(String) });
  await expectAlive(stream);
  expect(stream.unconsumed('error')).toEqual([]);
  expect(refusalLogs(server, session.sessionId, code)).toBe(logsBefore + 1);
  expect(await protocolErrorCount(server, code)).toBe(countBefore + 1);
}

async function expectStarts(stream: TestStream): Promise<void> {
  stream.sendJson({ type: 'start' });
  const state = await stream.next('state', 10_000);
  expect(state).toMatchObject({ type: 'state', state: 'intro', part: 'intro' });
}

async function closeClient(stream: TestStream): Promise<void> {
  stream.ws.close(1000);
  await stream.closed;
}

describe('examiner stream: bad input over a real socket', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const beforeStart: Array<[string, (stream: TestStream) => void, string]> = [
    ['a non-JSON text frame', (s) => s.ws.send('not json {'), 'INVALID_JSON'],
    ['a JSON array', (s) => s.ws.send('[1,2,3]'), 'INVALID_MESSAGE'],
    ['a JSON string', (s) => s.ws.send('"start"'), 'INVALID_MESSAGE'],
    ['JSON null', (s) => s.ws.send('null'), 'INVALID_MESSAGE'],
    ['an object without a type', (s) => s.sendJson({ id: 'x' }), 'INVALID_MESSAGE'],
    ['an object with a numeric type', (s) => s.sendJson({ type: 5 }), 'INVALID_MESSAGE'],
    ['an unknown type', (s) => s.sendJson({ type: 'dance' }), 'UNKNOWN_MESSAGE_TYPE'],
    // An inherited name must not reach the validator lookup as if it were a message type.
    ['a prototype name as type', (s) => s.sendJson({ type: 'toString' }), 'UNKNOWN_MESSAGE_TYPE'],
    ['ping with an extra field', (s) => s.sendJson({ type: 'ping', x: 1 }), 'INVALID_MESSAGE'],
    ['ping with a numeric id', (s) => s.sendJson({ type: 'ping', id: 7 }), 'INVALID_MESSAGE'],
    ['start with protocol 0', (s) => s.sendJson({ type: 'start', protocol: 0 }), 'INVALID_MESSAGE'],
    ['leave with a reason', (s) => s.sendJson({ type: 'leave', why: 'x' }), 'INVALID_MESSAGE'],
    ['a text frame over 64 KB', (s) => s.ws.send('x'.repeat(LIMIT + 1)), 'FRAME_TOO_LARGE'],
    [
      'a JSON message over 64 KB',
      (s) => s.sendJson({ type: 'ping', id: 'x'.repeat(LIMIT) }),
      'FRAME_TOO_LARGE',
    ],
    // Even-sized and sent before start: the size check must win over both audio checks.
    ['a binary frame over 64 KB', (s) => s.ws.send(Buffer.alloc(LIMIT + 2)), 'FRAME_TOO_LARGE'],
    ['audio before start', (s) => s.ws.send(FRAME_20MS), 'AUDIO_BEFORE_START'],
    ['leave before start', (s) => s.sendJson({ type: 'leave' }), 'NOT_STARTED'],
    [
      'start in protocol 2',
      (s) => s.sendJson({ type: 'start', protocol: 2 }),
      'PROTOCOL_UNSUPPORTED',
    ],
  ];

  it.each(beforeStart)(
    'refuses %s with a typed error and keeps the session',
    async (_n, send, code) => {
      const { session, stream } = await connect(server);
      await expectRefused(server, session, stream, () => send(stream), code);
      await expectStarts(stream);
      await closeClient(stream);
    },
  );

  it('takes a run of different bad inputs on one socket and still starts', async () => {
    const { session, stream } = await connect(server);
    for (const [, send, code] of beforeStart) {
      await expectRefused(server, session, stream, () => send(stream), code);
    }
    await expectStarts(stream);
    await closeClient(stream);
  });

  it('answers 50 audio frames before start with one error and one log line', async () => {
    const { session, stream } = await connect(server);
    const countBefore = await protocolErrorCount(server, 'AUDIO_BEFORE_START');
    for (let i = 0; i < 50; i++) stream.ws.send(FRAME_20MS);
    // Frames are handled in order, so the pong comes after all 50 were refused.
    await expectAlive(stream);
    expect(stream.messages.filter((m) => m.type === 'error')).toEqual([
      { type: 'error', code: 'AUDIO_BEFORE_START', message: expect.any(String) },
    ]);
    expect(refusalLogs(server, session.sessionId, 'AUDIO_BEFORE_START')).toBe(1);
    // The metric still counts every refused frame; only the client and the log are spared.
    expect(await protocolErrorCount(server, 'AUDIO_BEFORE_START')).toBe(countBefore + 50);
    await expectStarts(stream);
    await closeClient(stream);
  });

  it('after start, refuses odd-sized audio, oversized audio and a second start', async () => {
    const { session, stream } = await connect(server);
    await expectStarts(stream);

    await expectRefused(
      server,
      session,
      stream,
      () => stream.ws.send(Buffer.alloc(641)),
      'AUDIO_ODD_BYTES',
    );
    // Repeats at frame rate are counted but not answered or logged again.
    for (let i = 0; i < 10; i++) stream.ws.send(Buffer.alloc(641));
    stream.ws.send(FRAME_20MS);
    await expectAlive(stream);
    expect(stream.unconsumed('error')).toEqual([]);
    expect(refusalLogs(server, session.sessionId, 'AUDIO_ODD_BYTES')).toBe(1);

    await expectRefused(
      server,
      session,
      stream,
      () => stream.ws.send(Buffer.alloc(LIMIT + 2)),
      'FRAME_TOO_LARGE',
    );
    await expectRefused(
      server,
      session,
      stream,
      () => stream.sendJson({ type: 'start' }),
      'ALREADY_STARTED',
    );
    await expectRefused(server, session, stream, () => stream.ws.send('{"type":'), 'INVALID_JSON');
    // The test is still running: no failure reached the client and the socket is open.
    expect(stream.messages.filter((m) => m.type === 'state').map((m) => m.state)).toEqual([
      'intro',
    ]);
    expect(stream.ws.readyState).toBe(stream.ws.OPEN);
    await closeClient(stream);
  });

  it('refuses a wrong ticket with TICKET_INVALID and close 4401, then admits the right one', async () => {
    const session = await createSession(server);
    const logsBefore = streamRefusalLogs(server, 'TICKET_INVALID');
    const wrong = openStream(
      server,
      `/v1/speaking/sessions/${session.sessionId}/stream?ticket=not-the-ticket`,
    );
    expect(await wrong.next('error')).toEqual({
      type: 'error',
      code: 'TICKET_INVALID',
      message: expect.any(String),
    });
    expect((await wrong.closed).code).toBe(4401);

    const missing = openStream(server, `/v1/speaking/sessions/${session.sessionId}/stream`);
    expect(await missing.next('error')).toMatchObject({ code: 'TICKET_INVALID' });
    expect((await missing.closed).code).toBe(4401);
    expect(streamRefusalLogs(server, 'TICKET_INVALID')).toBe(logsBefore + 2);

    const right = openStream(server, session.streamPath);
    expect(await right.next('ready')).toMatchObject({ resumed: false });
    await expectAlive(right);
    await expectStarts(right);
    await closeClient(right);
  });

  it('refuses an unknown session with SESSION_NOT_FOUND and close 4404', async () => {
    const logsBefore = streamRefusalLogs(server, 'SESSION_NOT_FOUND');
    const stream = openStream(server, `/v1/speaking/sessions/${randomUUID()}/stream?ticket=abc`);
    expect(await stream.next('error')).toEqual({
      type: 'error',
      code: 'SESSION_NOT_FOUND',
      message: expect.any(String),
    });
    expect((await stream.closed).code).toBe(4404);
    expect(streamRefusalLogs(server, 'SESSION_NOT_FOUND')).toBe(logsBefore + 1);
  });

  it('refuses a reused ticket with TICKET_INVALID: a ticket admits one socket', async () => {
    const { session, stream: first } = await connect(server);
    const reused = openStream(server, session.streamPath);
    expect(await reused.next('error')).toMatchObject({ code: 'TICKET_INVALID' });
    expect((await reused.closed).code).toBe(4401);
    await expectAlive(first);
    await closeClient(first);
  });

  it('refuses a second socket with SESSION_BUSY (4409) and the first keeps working', async () => {
    const { session, stream: first } = await connect(server);
    const logsBefore = streamRefusalLogs(server, 'SESSION_BUSY');
    // Even with a valid ticket of its own, a second socket may not take a session in use.
    const reissued = await reissueTicket(server, session.sessionId);
    const second = openStream(server, reissued.streamPath);
    expect(await second.next('error')).toEqual({
      type: 'error',
      code: 'SESSION_BUSY',
      message: expect.any(String),
    });
    expect((await second.closed).code).toBe(4409);
    expect(streamRefusalLogs(server, 'SESSION_BUSY')).toBe(logsBefore + 1);

    await expectAlive(first);
    await expectStarts(first);
    await expectAlive(first);
    expect(first.ws.readyState).toBe(first.ws.OPEN);
    await closeClient(first);
  });

  it('suspends on disconnect and resumes in the same state with a reissued ticket', async () => {
    const { session, stream: first } = await connect(server);
    first.sendJson({ type: 'start' });
    const before = await first.next('state', 10_000);
    expect(before.state).toBe('intro');
    const interrupted = first.messages.filter((m) => m.type === 'caption').at(-1);
    expect(interrupted).toBeDefined();

    await closeClient(first);
    await waitForLog(
      server,
      (l) =>
        l.sessionId === session.sessionId &&
        l.msg === 'examiner state changed' &&
        l.to === 'suspended',
    );
    // Long enough that a clock still running while away would show in the time left.
    await sleep(1500);

    const reissued = await reissueTicket(server, session.sessionId);
    expect(reissued.sessionId).toBe(session.sessionId);
    expect(reissued.ticket).not.toBe(session.ticket);

    // Reissuing replaces the ticket: the first one no longer admits anyone.
    const stale = openStream(server, session.streamPath);
    expect(await stale.next('error')).toMatchObject({ code: 'TICKET_INVALID' });
    expect((await stale.closed).code).toBe(4401);

    const second = openStream(server, reissued.streamPath);
    expect(await second.next('ready')).toMatchObject({
      type: 'ready',
      protocol: 1,
      sessionId: session.sessionId,
      resumed: true,
    });
    const after = await second.next('state', 10_000);
    expect(after).toMatchObject({ state: before.state, part: before.part });
    // The part's clock was frozen while suspended: the 1.5 s away did not come off the time left.
    expect(before.timeLeftMs).not.toBeNull();
    expect(after.timeLeftMs).not.toBeNull();
    expect((before.timeLeftMs ?? 0) - (after.timeLeftMs ?? 0)).toBeLessThan(1000);
    // The line cut off by the disconnect is said again from its start.
    expect(await second.next('caption', 10_000)).toEqual(interrupted);

    await expectAlive(second);
    await expectRefused(
      server,
      session,
      second,
      () => second.sendJson({ type: 'start' }),
      'ALREADY_STARTED',
    );
    await closeClient(second);
  });

  it('ends the test on leave with ABORTED and a normal close', async () => {
    const { stream } = await connect(server);
    stream.sendJson({ type: 'start' });
    await stream.next('state', 10_000);
    stream.sendJson({ type: 'leave' });
    expect(await stream.next('error', 10_000)).toMatchObject({ code: 'ABORTED' });
    const closed = await stream.closed;
    expect(closed.code).toBe(1000);
  });

  it('creates a session from a POST without a body', async () => {
    const response = await fetch(`${server.url}/v1/speaking/sessions`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ sessionId: expect.any(String) });
  });

  it('refuses bad HTTP bodies with 400 BAD_REQUEST', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad: unknown[] = [
      { candidateId: 'cand-1', admin: true },
      { candidateId: 'has spaces' },
      { candidateId: '' },
      { seed: '' },
      [],
    ];
    for (const body of bad) {
      const response = await post('/v1/speaking/sessions', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: 'BAD_REQUEST', message: expect.any(String) },
      });
    }

    const session = await createSession(server, { candidateId: 'cand-1' });
    const reissue = await post(`/v1/speaking/sessions/${session.sessionId}/tickets`, {
      candidateId: 'cand-1',
      extra: 1,
    });
    expect(reissue.status).toBe(400);
    expect(await reissue.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    // Another candidate's session looks exactly like one that does not exist.
    const foreign = await post(`/v1/speaking/sessions/${session.sessionId}/tickets`, {
      candidateId: 'cand-2',
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'SESSION_NOT_FOUND' } });
  });

  it('exposes the refusals on /metrics by code', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const code of [
      'INVALID_JSON',
      'INVALID_MESSAGE',
      'UNKNOWN_MESSAGE_TYPE',
      'FRAME_TOO_LARGE',
      'AUDIO_BEFORE_START',
      'AUDIO_ODD_BYTES',
      'ALREADY_STARTED',
    ]) {
      expect(text).toMatch(
        new RegExp(`^examiner_protocol_errors_total\\{code="${code}"\\} [1-9]`, 'm'),
      );
    }
  });

  it('leaves nothing behind that crashed: every session is still registered and no error logs', () => {
    expect(server.logs.filter((l) => l.level >= 50)).toEqual([]);
    // The one ended session is the candidate who left.
    // The candidate who left is gone from this node; everyone else is still here.
    expect(server.sessions.all().every((live) => !live.isEnded)).toBe(true);
  });
});

describe('examiner stream: ticket expiry', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ STREAM_TICKET_TTL_MS: 1000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses an expired ticket with TICKET_EXPIRED (4401); a reissued one works', async () => {
    const session = await createSession(server);
    await sleep(1200);
    const expired = openStream(server, session.streamPath);
    expect(await expired.next('error')).toEqual({
      type: 'error',
      code: 'TICKET_EXPIRED',
      message: expect.any(String),
    });
    expect((await expired.closed).code).toBe(4401);
    expect(streamRefusalLogs(server, 'TICKET_EXPIRED')).toBe(1);

    const reissued = await reissueTicket(server, session.sessionId);
    const stream = openStream(server, reissued.streamPath);
    expect(await stream.next('ready')).toMatchObject({ resumed: false });
    await expectAlive(stream);
    await closeClient(stream);
  });
});

describe('examiner stream: shutdown', () => {
  it('closes live sockets with 1001 so clients know to reconnect', async () => {
    const server = await startTestServer();
    const { stream } = await connect(server);
    stream.sendJson({ type: 'start' });
    await stream.next('state', 10_000);
    await server.close();
    expect((await stream.closed).code).toBe(1001);
    // The test was checkpointed and handed back, and the candidate told to reconnect.
    expect(stream.messages.some((m) => m.type === 'reconnect')).toBe(true);
  });
});
