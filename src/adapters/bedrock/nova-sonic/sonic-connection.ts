import { randomUUID } from 'node:crypto';
import {
  type BedrockRuntimeClient,
  InvokeModelWithBidirectionalStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import * as ev from './events.ts';
import { type HistoryTurn, MAX_TEXT_INPUT_BYTES, sanitiseHistory, splitUtf8 } from './history.ts';
import { InputQueue } from './input-queue.ts';

/** 32 ms of 16 kHz PCM16: the frame size Bedrock's documentation asks for. */
export const INPUT_FRAME_BYTES = 1024;

export interface ConnectionHandlers {
  assistantText(stage: 'SPECULATIVE' | 'FINAL', text: string): void;
  assistantAudioStart(): void;
  assistantAudio(pcm: Buffer): void;
  assistantAudioEnd(stopReason: string): void;
  userText(text: string): void;
  interrupted(): void;
  /** The stream is over: `null` when we closed it, an error when it failed or ended early. */
  ended(error: Error | null): void;
}

export interface ConnectionOptions {
  modelId: string;
  settings: ev.SessionSettings;
  systemPrompt: string;
  history: HistoryTurn[];
}

export class StreamEndedEarlyError extends Error {
  override name = 'StreamEndedEarly';
}

interface Block {
  type: string;
  role: string;
  stage: string | null;
}

const INTERRUPTED = /\{\s*"interrupted"\s*:\s*true\s*\}/;

/**
 * One Bedrock bidirectional stream. Everything is queued and sent in order; the response is read
 * in the background because `send()` resolves only with the first output event.
 */
export class SonicConnection {
  readonly openedAt = Date.now();
  private readonly queue = new InputQueue();
  private readonly promptName = randomUUID();
  private readonly audioName = randomUUID();
  private readonly abort = new AbortController();
  private readonly blocks = new Map<string, Block>();
  private remainder: Buffer = Buffer.alloc(0);
  private closing = false;
  private finished = false;
  readonly done: Promise<void>;

  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    const { settings, systemPrompt, history } = options;
    const p = this.promptName;
    this.queue.push(ev.sessionStart(settings));
    this.queue.push(ev.promptStart(p, settings));
    this.pushText('SYSTEM', false, systemPrompt);
    for (const turn of sanitiseHistory(history)) {
      const name = randomUUID();
      this.queue.push(ev.textContentStart(p, name, turn.role, false));
      for (const part of turn.parts) this.queue.push(ev.textInput(p, name, part));
      this.queue.push(ev.contentEnd(p, name));
    }
    this.queue.push(ev.audioContentStart(p, this.audioName));
    this.done = this.run();
  }

  get isOpen(): boolean {
    return !this.finished && !this.closing;
  }

  get ageMs(): number {
    return Date.now() - this.openedAt;
  }

  /** Re-frames candidate audio into 32 ms audioInput events. */
  sendAudio(pcm: Buffer): void {
    if (!this.isOpen) return;
    let data = this.remainder.length ? Buffer.concat([this.remainder, pcm]) : pcm;
    while (data.length >= INPUT_FRAME_BYTES) {
      this.queue.push(
        ev.audioInput(this.promptName, this.audioName, data.subarray(0, INPUT_FRAME_BYTES)),
      );
      data = data.subarray(INPUT_FRAME_BYTES);
    }
    this.remainder = Buffer.from(data);
  }

  /** A line for the examiner to say, as cross-modal text input. */
  sendLine(text: string): void {
    if (this.isOpen) this.pushText('USER', true, text);
  }

  /** Ends the stream the documented way: audio contentEnd, promptEnd, sessionEnd. */
  async close(timeoutMs = 3000): Promise<void> {
    if (this.closing || this.finished) return;
    this.closing = true;
    if (this.remainder.length > 0) {
      // The last partial frame, padded with silence, so the model hears every sample sent.
      const last = Buffer.alloc(INPUT_FRAME_BYTES);
      this.remainder.copy(last);
      this.queue.push(ev.audioInput(this.promptName, this.audioName, last));
      this.remainder = Buffer.alloc(0);
    }
    this.queue.push(ev.contentEnd(this.promptName, this.audioName));
    this.queue.push(ev.promptEnd(this.promptName));
    this.queue.push(ev.sessionEnd());
    this.queue.end();
    const timer = setTimeout(() => this.abort.abort(), timeoutMs);
    await this.done;
    clearTimeout(timer);
  }

  /** Drops the stream at once (after a failure, nothing more can be said on it). */
  destroy(): void {
    this.closing = true;
    this.queue.end();
    this.abort.abort();
  }

  private pushText(role: ev.Role, interactive: boolean, text: string): void {
    const name = randomUUID();
    this.queue.push(ev.textContentStart(this.promptName, name, role, interactive));
    for (const part of splitUtf8(text, MAX_TEXT_INPUT_BYTES)) {
      this.queue.push(ev.textInput(this.promptName, name, part));
    }
    this.queue.push(ev.contentEnd(this.promptName, name));
  }

  private async run(): Promise<void> {
    let error: Error | null = null;
    try {
      const response = await this.client.send(
        new InvokeModelWithBidirectionalStreamCommand({
          modelId: this.options.modelId,
          body: this.queue,
        }),
        { abortSignal: this.abort.signal },
      );
      for await (const item of response.body ?? []) {
        const bytes = item.chunk?.bytes;
        if (bytes) this.dispatch(JSON.parse(Buffer.from(bytes).toString('utf8')));
      }
      // The SDK ends the iterator quietly on a reset or a client timeout: only our own close
      // makes an end normal.
      if (!this.closing) error = new StreamEndedEarlyError('the model stream ended early');
    } catch (caught) {
      if (!this.closing) error = caught instanceof Error ? caught : new Error(String(caught));
    } finally {
      this.finished = true;
      this.queue.end();
    }
    this.handlers.ended(error);
  }

  private dispatch(message: { event?: Record<string, Record<string, unknown>> }): void {
    const [name, body] = Object.entries(message.event ?? {})[0] ?? [];
    if (!name || !body) return;
    const h = this.handlers;
    const contentId = String(body.contentId ?? '');
    switch (name) {
      case 'contentStart': {
        const block = { type: String(body.type), role: String(body.role), stage: stageOf(body) };
        this.blocks.set(contentId, block);
        if (block.type === 'AUDIO' && block.role === 'ASSISTANT') h.assistantAudioStart();
        break;
      }
      case 'textOutput': {
        const block = this.blocks.get(contentId);
        const text = String(body.content ?? '');
        if (INTERRUPTED.test(text)) {
          h.interrupted();
          break;
        }
        if (block?.role === 'USER' || body.role === 'USER') h.userText(text);
        else if (block?.stage === 'SPECULATIVE' || block?.stage === 'FINAL') {
          h.assistantText(block.stage, text);
        }
        break;
      }
      case 'audioOutput':
        h.assistantAudio(Buffer.from(String(body.content ?? ''), 'base64'));
        break;
      case 'contentEnd': {
        const block = this.blocks.get(contentId);
        this.blocks.delete(contentId);
        if (block?.type === 'AUDIO' && block.role === 'ASSISTANT') {
          h.assistantAudioEnd(String(body.stopReason ?? 'END_TURN'));
        }
        if (body.stopReason === 'INTERRUPTED') h.interrupted();
        break;
      }
    }
  }
}

function stageOf(body: Record<string, unknown>): string | null {
  const raw = body.additionalModelFields;
  if (typeof raw !== 'string') return null;
  try {
    return (JSON.parse(raw) as { generationStage?: string }).generationStage ?? null;
  } catch {
    return null;
  }
}
