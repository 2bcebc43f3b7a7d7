import { Transform } from 'node:stream';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { afterEach, describe, expect, it } from 'vitest';
import { eventStreamCodec } from '../support/bedrock-local/event-stream.ts';
import {
  type ConversationOptions,
  SdkConversation,
} from '../support/bedrock-local/sdk-conversation.ts';
import {
  type Fault,
  type LocalBedrock,
  type LocalBedrockOptions,
  startLocalBedrock,
} from '../support/bedrock-local/server.ts';
import { ev, opening, silence } from '../support/bedrock-local/sonic-test-events.ts';

let server: LocalBedrock;
let conversations: SdkConversation[] = [];

async function start(options: LocalBedrockOptions = {}) {
  server = await startLocalBedrock({ audioPacing: 50, ...options });
}
function converse(options?: ConversationOptions) {
  const conversation = new SdkConversation(server, options);
  conversations.push(conversation);
  return conversation;
}
/** A conversation that has produced output, so later failures surface in the iterator. */
async function talking(options?: ConversationOptions) {
  const c = converse(options);
  c.send(...opening(), ev.audioStart(), ...ev.text('t1', 'USER', true, 'Hello there.'));
  await c.waitFor((events) => events.length > 0);
  return c;
}

/** Corrupts the chunk signature of the third event frame after the SDK signed it. */
class TamperingHandler extends NodeHttp2Handler {
  override handle(...args: Parameters<NodeHttp2Handler['handle']>) {
    const [request] = args;
    let frames = 0;
    const tamper = new Transform({
      objectMode: true,
      transform(chunk: Uint8Array, _encoding, done) {
        frames += 1;
        if (frames !== 3) return done(null, chunk);
        const message = eventStreamCodec.decode(chunk);
        const signature = message.headers[':chunk-signature'];
        if (signature?.type === 'binary') {
          const flipped = Uint8Array.from(signature.value);
          flipped[0] = (flipped[0] ?? 0) ^ 0xff;
          message.headers[':chunk-signature'] = { type: 'binary', value: flipped };
        }
        done(null, eventStreamCodec.encode(message));
      },
    });
    // pipe() does not pass on the end of the request, so late writes must not go uncaught.
    tamper.on('error', () => {});
    request.body = (request.body as NodeJS.ReadableStream).pipe(tamper);
    return super.handle(...args);
  }
}

afterEach(async () => {
  await Promise.all(conversations.map((c) => c.finish()));
  conversations = [];
  await server?.close();
});

describe('local Bedrock server signatures and routes', () => {
  it('refuses a wrong secret or key at the HTTP level', async () => {
    await start();
    const wrongSecret = converse({ credentials: { accessKeyId: 'local', secretAccessKey: 'x' } });
    wrongSecret.send(...opening());
    await wrongSecret.done;
    expect(wrongSecret.failure?.error.name).toBe('InvalidSignatureException');
    expect(wrongSecret.failure?.error).toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(server.streams[0]?.signatureFailures).toBe(1);

    const wrongKey = converse({ credentials: { accessKeyId: 'other', secretAccessKey: 'x' } });
    wrongKey.send(...opening());
    await wrongKey.done;
    expect(wrongKey.failure?.error.name).toBe('UnrecognizedClientException');
  });

  it('detects a broken chunk-signature chain', async () => {
    await start();
    const c = converse({ requestHandler: new TamperingHandler({ requestTimeout: 10_000 }) });
    c.send(...opening());
    await c.done;
    expect(c.failure?.error.name).toBe('InvalidSignatureException');
    // The SDK chains on the signature it made, so the frame after the bad one fails as well.
    expect(server.streams[0]?.signatureFailures).toBeGreaterThanOrEqual(1);
    expect(server.streams[0]?.closedBy).toBe('server');
  });

  it('answers unknown operations with 404 UnknownOperationException', async () => {
    await start();
    const client = new BedrockRuntimeClient({
      region: server.region,
      endpoint: server.endpoint,
      credentials: server.credentials,
    });
    const call = client.send(new InvokeModelCommand({ modelId: 'm', body: '{}' }));
    await expect(call).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 404 },
    });
    client.destroy();
  });
});

describe('local Bedrock server faults', () => {
  it.each([
    [
      { kind: 'exception', type: 'modelStreamErrorException' },
      'ModelStreamErrorException',
    ] as const,
    [{ kind: 'error-frame', code: 'InternalFailure', message: 'boom' }, 'InternalFailure'] as const,
  ])('throws %o from the response iterator', async (fault, name) => {
    await start();
    server.injectNext(fault as Fault);
    const c = await talking();
    await c.done;
    expect(c.failure?.at).toBe('iterate');
    expect(c.failure?.error.name).toBe(name);
    expect(server.streams[0]?.closedBy).toBe('fault');
  });

  it('ends the iterator without an error on RST_STREAM', async () => {
    await start();
    server.injectNext({ kind: 'rst' });
    const c = await talking();
    await c.done;
    expect(c.failure).toBeUndefined();
    expect(server.streams[0]?.closedBy).toBe('fault');
  });

  it('stalls until the client times out, which also ends without an error', async () => {
    await start();
    server.injectNext({ kind: 'stall' });
    const c = await talking({ requestTimeout: 500 });
    const stalledAt = c.events.length;
    await c.done;
    expect(c.failure).toBeUndefined();
    expect(c.events.length).toBe(stalledAt);
  });

  it('applies a live fault to open streams', async () => {
    await start();
    const c = await talking();
    server.injectLive({ kind: 'exception', type: 'throttlingException' });
    await c.done;
    expect(c.failure?.error.name).toBe('ThrottlingException');
  });

  it('refuses the next request at the HTTP level, once', async () => {
    await start();
    server.injectNext({ kind: 'http', status: 429, errorType: 'ThrottlingException' });
    const refused = converse();
    refused.send(...opening());
    await refused.done;
    expect(refused.failure?.error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    const next = await talking();
    expect(next.failure).toBeUndefined();
  });

  it('throttles streams beyond maxConcurrentStreams with HTTP 429', async () => {
    await start({ maxConcurrentStreams: 1 });
    await talking();
    const second = converse();
    second.send(...opening());
    await second.done;
    expect(second.failure?.error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
  });
});

describe('local Bedrock server timers', () => {
  it('times the model out after maxStreamMs', async () => {
    await start({ maxStreamMs: 400 });
    const c = await talking();
    c.send(...ev.audio(silence(320)));
    await c.done;
    expect(c.failure?.error.name).toBe('ModelTimeoutException');
    expect(c.failure?.error.message).toBe(
      'Model has timed out in processing the request. Try your request again.',
    );
  });

  it('gives up waiting for input events after inputTimeoutMs', async () => {
    await start({ inputTimeoutMs: 200 });
    const c = converse();
    await c.done;
    expect(c.failure?.error.name).toBe('ValidationException');
    expect(c.failure?.error.message).toBe('Timed out waiting for input events');
  });

  it('ends a stream after userSilenceMs without speech', async () => {
    await start({ userSilenceMs: 300 });
    const c = converse();
    c.send(...opening(), ev.audioStart(), ...ev.audio(silence(640)));
    await c.done;
    expect(c.failure?.error.message).toBe('InternalErrorCode=531: Request timeout');
  });
});
