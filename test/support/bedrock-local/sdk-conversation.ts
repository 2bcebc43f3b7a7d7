import {
  BedrockRuntimeClient,
  InvokeModelWithBidirectionalStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import type { LocalBedrock, LocalBedrockCredentials } from './types.ts';

/**
 * A bare Nova Sonic conversation through the real SDK, for tests of the local Bedrock server
 * itself: events go in as plain JSON and come out as `{name, body}`.
 */

export const NOVA_2_SONIC = 'amazon.nova-2-sonic-v1:0';

export interface OutputEvent {
  name: string;
  body: Record<string, unknown>;
}

export interface ConversationOptions {
  credentials?: LocalBedrockCredentials;
  requestTimeout?: number;
  requestHandler?: NodeHttp2Handler;
}

type Chunk = { chunk: { bytes: Uint8Array } };

/** The request body: an async iterable fed by the test. */
class InputQueue implements AsyncIterable<Chunk> {
  private readonly items: Chunk[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;

  push(event: unknown): void {
    this.items.push({ chunk: { bytes: new TextEncoder().encode(JSON.stringify(event)) } });
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Chunk> {
    try {
      while (true) {
        const item = this.items.shift();
        if (item) yield item;
        else if (this.ended) return;
        else await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      this.ended = true;
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

export class SdkConversation {
  readonly events: OutputEvent[] = [];
  /** Where the stream failed: `send` before the first event, `iterate` after it. */
  failure: { at: 'send' | 'iterate'; error: Error } | undefined;
  readonly done: Promise<void>;
  private readonly input = new InputQueue();
  private readonly client: BedrockRuntimeClient;

  constructor(server: LocalBedrock, options: ConversationOptions = {}) {
    this.client = new BedrockRuntimeClient({
      region: server.region,
      endpoint: server.endpoint,
      credentials: options.credentials ?? server.credentials,
      requestHandler:
        options.requestHandler ??
        new NodeHttp2Handler({
          requestTimeout: options.requestTimeout ?? 10_000,
          sessionTimeout: 10_000,
        }),
    });
    this.done = this.run();
  }

  send(...events: unknown[]): void {
    for (const event of events) this.input.push(event);
  }

  /** Ends the request body; the SDK then sends the empty end frame. */
  endInput(): void {
    this.input.end();
  }

  async waitFor(predicate: (events: OutputEvent[]) => boolean, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out; got ${summarise(this.events).join(', ')}`, {
          cause: this.failure?.error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async finish(): Promise<void> {
    this.input.end();
    await this.done;
    this.client.destroy();
  }

  private async run(): Promise<void> {
    let at: 'send' | 'iterate' = 'send';
    try {
      const response = await this.client.send(
        new InvokeModelWithBidirectionalStreamCommand({ modelId: NOVA_2_SONIC, body: this.input }),
      );
      at = 'iterate';
      for await (const item of response.body ?? []) {
        const bytes = item.chunk?.bytes;
        if (!bytes) continue;
        const event = JSON.parse(new TextDecoder().decode(bytes)).event as Record<string, unknown>;
        const [name, body] = Object.entries(event)[0] as [string, Record<string, unknown>];
        this.events.push({ name, body });
      }
    } catch (error) {
      this.failure = { at, error: error as Error };
    }
  }
}

/**
 * One line per event, runs of audioOutput folded, so a whole sequence reads as a list:
 * `contentStart TEXT ASSISTANT SPECULATIVE`, `textOutput ASSISTANT Hello.`, `contentEnd AUDIO END_TURN`.
 */
export function summarise(events: OutputEvent[]): string[] {
  const lines: string[] = [];
  for (const { name, body } of events) {
    let line = name;
    if (name === 'contentStart') {
      const fields = body.additionalModelFields;
      const stage =
        typeof fields === 'string' ? (JSON.parse(fields) as { generationStage?: string }) : {};
      line = [name, body.type, body.role, stage.generationStage].filter(Boolean).join(' ');
    } else if (name === 'textOutput') line = `${name} ${body.role} ${body.content}`;
    else if (name === 'contentEnd') line = `${name} ${body.type} ${body.stopReason}`;
    else if (name === 'completionEnd') line = `${name} ${body.stopReason}`;
    if (line === 'audioOutput' && lines.at(-1) === 'audioOutput') continue;
    lines.push(line);
  }
  return lines;
}

export function audioBytes(events: OutputEvent[]): Buffer[] {
  return events
    .filter((event) => event.name === 'audioOutput')
    .map((event) => Buffer.from(String(event.body.content), 'base64'));
}
