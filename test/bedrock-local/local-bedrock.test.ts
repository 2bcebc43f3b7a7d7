import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthesise } from '../../src/adapters/speech-local/espeak-voice.ts';
import { readAudioStamp } from '../support/bedrock-local/audio-stamp.ts';
import {
  audioBytes,
  type ConversationOptions,
  SdkConversation,
  summarise,
} from '../support/bedrock-local/sdk-conversation.ts';
import {
  type LocalBedrock,
  type LocalBedrockOptions,
  startLocalBedrock,
} from '../support/bedrock-local/server.ts';
import {
  ev,
  opening,
  PROMPT_NAME as P,
  repliedInFull,
  silence,
} from '../support/bedrock-local/sonic-test-events.ts';

let server: LocalBedrock;
let conversations: SdkConversation[] = [];
let speech16k: Buffer;

async function start(options: LocalBedrockOptions = {}) {
  server = await startLocalBedrock({ audioPacing: 50, ...options });
}
function converse(options?: ConversationOptions) {
  const conversation = new SdkConversation(server, options);
  conversations.push(conversation);
  return conversation;
}
const finalAssistant = (c: SdkConversation) => repliedInFull(summarise(c.events));

beforeAll(async () => {
  speech16k = await synthesise('I live in a small town near the sea.', {
    sampleRate: 16_000,
    voice: 'en-us',
  });
});

afterEach(async () => {
  await Promise.all(conversations.map((c) => c.finish()));
  conversations = [];
  await server?.close();
});

describe('local Bedrock server, Nova Sonic through the real SDK', () => {
  it('says an interactive USER text and closes with completionEnd', async () => {
    await start();
    const c = converse();
    c.send(...opening(), ev.audioStart(), ...ev.audio(silence(200)));
    c.send(...ev.text('t1', 'USER', true, 'Hello candidate.'));
    await c.waitFor(() => finalAssistant(c));
    c.send(...ev.close());
    c.endInput();
    await c.done;

    expect(c.failure).toBeUndefined();
    expect(summarise(c.events)).toEqual([
      'usageEvent',
      'completionStart',
      'contentStart TEXT ASSISTANT SPECULATIVE',
      'textOutput ASSISTANT Hello candidate.',
      'contentEnd TEXT PARTIAL_TURN',
      'contentStart AUDIO ASSISTANT',
      'audioOutput',
      'contentEnd AUDIO END_TURN',
      'contentStart TEXT ASSISTANT FINAL',
      'textOutput ASSISTANT Hello candidate.',
      'contentEnd TEXT END_TURN',
      'completionEnd END_TURN',
    ]);
    const expected = await synthesise('Hello candidate.', { sampleRate: 24_000, voice: 'en-gb' });
    const chunks = audioBytes(c.events);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(chunks[0]?.length).toBe(1920);
    const [first] = c.events;
    for (const { body } of c.events) {
      expect(body).toMatchObject({ promptName: P, sessionId: first?.body.sessionId });
      expect(body.completionId).toBe(first?.body.completionId);
    }
    const audioStart = c.events.find((e) => e.name === 'contentStart' && e.body.type === 'AUDIO');
    expect(audioStart?.body.audioOutputConfiguration).toMatchObject({ sampleRateHertz: 24_000 });
    const [record] = server.streams;
    expect(record).toMatchObject({ modelId: 'amazon.nova-2-sonic-v1:0', signatureFailures: 0 });
    expect(record?.closedBy).toBe('client');
    expect(record?.events.map((e) => e.name).slice(0, 3)).toEqual([
      'sessionStart',
      'promptStart',
      'contentStart',
    ]);
  });

  it('queues several requests and says them in order', async () => {
    await start();
    const c = converse();
    c.send(...opening(), ev.audioStart());
    c.send(...ev.text('t1', 'USER', true, 'One.'), ...ev.text('t2', 'USER', true, 'Two.'));
    await c.waitFor(
      (events) => summarise(events).filter((l) => l === 'contentEnd TEXT END_TURN').length === 2,
    );
    const said = summarise(c.events).filter((line) => line.startsWith('textOutput'));
    expect(said).toEqual([
      'textOutput ASSISTANT One.',
      'textOutput ASSISTANT One.',
      'textOutput ASSISTANT Two.',
      'textOutput ASSISTANT Two.',
    ]);
    expect(c.events.filter((e) => e.name === 'completionStart')).toHaveLength(1);
  });

  it('turns user speech into USER FINAL blocks with the scripted transcript', async () => {
    const turns: Array<{ streamId: number; turnIndex: number; speechMs: number }> = [];
    await start({
      replyToSpeech: true,
      transcript: (turn) => {
        turns.push(turn);
        return 'I live by the sea. It is quiet.';
      },
    });
    const c = converse();
    c.send(...opening(), ev.audioStart(), ...ev.audio(Buffer.concat([speech16k, silence(2500)])));
    await c.waitFor(() => finalAssistant(c));

    expect(summarise(c.events)).toEqual([
      'usageEvent',
      'completionStart',
      'contentStart TEXT USER FINAL',
      'textOutput USER I live by the sea.',
      'contentEnd TEXT PARTIAL_TURN',
      'contentStart TEXT USER FINAL',
      'textOutput USER It is quiet.',
      'contentEnd TEXT END_TURN',
      'usageEvent',
      'contentStart TEXT ASSISTANT SPECULATIVE',
      'textOutput ASSISTANT I see.',
      'contentEnd TEXT PARTIAL_TURN',
      'contentStart AUDIO ASSISTANT',
      'audioOutput',
      'contentEnd AUDIO END_TURN',
      'contentStart TEXT ASSISTANT FINAL',
      'textOutput ASSISTANT I see.',
      'contentEnd TEXT END_TURN',
    ]);
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ streamId: 1, turnIndex: 0 });
    expect(turns[0]?.speechMs).toBeGreaterThan(1000);
    const audioIn = server.streams[0]?.events.find((e) => e.name === 'audioInput');
    expect(audioIn?.body).toEqual({ promptName: P, contentName: 'audio', bytes: 1024 });
  });

  it('interrupts its own speech when the user barges in', async () => {
    await start({ audioPacing: 2, stampAudio: true });
    const c = converse();
    const line = 'Now I would like to talk about your home town. Where do you come from?';
    c.send(...opening(), ev.audioStart(), ...ev.text('t1', 'USER', true, line));
    await c.waitFor((events) => events.some((e) => e.name === 'audioOutput'));
    c.send(...ev.audio(speech16k.subarray(0, 16_000)));
    await c.waitFor((events) => summarise(events).includes('contentEnd AUDIO INTERRUPTED'));

    expect(summarise(c.events).slice(-5)).toEqual([
      'audioOutput',
      'contentEnd AUDIO INTERRUPTED',
      'contentStart TEXT ASSISTANT FINAL',
      'textOutput ASSISTANT { "interrupted" : true }',
      'contentEnd TEXT INTERRUPTED',
    ]);
    const chunks = audioBytes(c.events);
    const full = await synthesise(line, { sampleRate: 24_000, voice: 'en-gb' });
    expect(Buffer.concat(chunks).length).toBeLessThan(full.length / 2);
    const stamp = readAudioStamp(chunks[0] ?? Buffer.alloc(0));
    expect(stamp).toBeGreaterThan(Date.now() - 10_000);
    expect(stamp).toBeLessThanOrEqual(performance.timeOrigin + performance.now());
  });
});

describe('local Bedrock server validation', () => {
  const HISTORY = 'Chat history should be sent completely before streaming audio.';

  it('refuses audio inside an open TEXT block with Bedrock’s message', async () => {
    await start();
    const c = converse();
    const [contentStart] = ev.text('h1', 'USER', false, 'x');
    c.send(...opening(), ev.audioStart(), contentStart, ...ev.audio(silence(32)));
    await c.done;
    expect(c.failure?.error.name).toBe('ValidationException');
    expect(c.failure?.error.message).toBe(HISTORY);
  });

  it('refuses history after audio, thrown from the response iterator', async () => {
    await start();
    const c = converse();
    c.send(...opening(), ev.audioStart(), ...ev.text('t1', 'USER', true, 'Hi.'));
    await c.waitFor((events) => events.length > 0);
    c.send(...ev.audio(silence(64)), ...ev.text('h1', 'USER', false, 'I said hello.'));
    await c.done;
    expect(c.failure?.at).toBe('iterate');
    expect(c.failure?.error.name).toBe('ValidationException');
    expect(c.failure?.error.message).toBe(HISTORY);
    expect(server.streams[0]?.closedBy).toBe('server');
  });

  it.each([
    ['more than 40 KB of history', Array.from({ length: 41 }, () => 'a'.repeat(1000)), /40960/],
    ['a textInput over 1 KB', ['b'.repeat(1025)], /1024 bytes/],
  ])('refuses %s', async (_, contents, message) => {
    await start();
    const c = converse();
    c.send(...opening(), ...ev.text('h1', 'USER', false, ...contents));
    await c.done;
    expect(c.failure?.error.name).toBe('ValidationException');
    expect(c.failure?.error.message).toMatch(message);
  });

  it('refuses history that starts with ASSISTANT but accepts the role on textInput', async () => {
    await start();
    const bad = converse();
    bad.send(...opening(), ...ev.text('h1', 'ASSISTANT', false, 'Hello.'));
    await bad.done;
    expect(bad.failure?.error.message).toBe('The first chat history message must have role USER.');

    const good = converse();
    const history = ev.text('h1', 'USER', false, 'Hello.');
    delete (history[0] as { event: { contentStart: { role?: string } } }).event.contentStart.role;
    const textInput = history[1] as { event: { textInput: Record<string, unknown> } };
    textInput.event.textInput.role = 'USER';
    good.send(...opening(), ...history, ev.audioStart(), ...ev.text('t1', 'USER', true, 'Go.'));
    await good.waitFor(() => finalAssistant(good));
    expect(good.failure).toBeUndefined();
  });

  it('refuses an unknown voice', async () => {
    await start();
    const c = converse();
    c.send(ev.sessionStart(), ev.promptStart('greta'));
    await c.done;
    expect(c.failure?.error.message).toBe('Invalid voiceId: greta.');
  });
});
