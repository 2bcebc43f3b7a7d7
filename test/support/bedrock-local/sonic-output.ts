import { randomUUID } from 'node:crypto';

/** Output events shaped like Nova Sonic's, field for field, for one prompt of one stream. */

export type Role = 'USER' | 'ASSISTANT';
export type StopReason = 'PARTIAL_TURN' | 'END_TURN' | 'INTERRUPTED';
export type GenerationStage = 'FINAL' | 'SPECULATIVE';

export const OUTPUT_SAMPLE_RATE = 24_000;
export const INTERRUPTED_MARKER = '{ "interrupted" : true }';

export interface TokenDelta {
  inputSpeech?: number;
  inputText?: number;
  outputSpeech?: number;
  outputText?: number;
}

interface Tokens {
  input: { speechTokens: number; textTokens: number };
  output: { speechTokens: number; textTokens: number };
}

/** Rough counts that grow like the real ones: ~4 characters a text token, 25 speech tokens a second. */
export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function speechTokens(ms: number): number {
  return Math.ceil(ms / 40);
}

export class SonicOutput {
  readonly sessionId = randomUUID();
  readonly completionId = randomUUID();
  private completionStarted = false;
  private readonly total: Tokens = zero();

  constructor(
    private readonly send: (event: unknown) => void,
    readonly promptName: string,
  ) {}

  usage(delta: TokenDelta): void {
    const step: Tokens = {
      input: { speechTokens: delta.inputSpeech ?? 0, textTokens: delta.inputText ?? 0 },
      output: { speechTokens: delta.outputSpeech ?? 0, textTokens: delta.outputText ?? 0 },
    };
    for (const side of ['input', 'output'] as const) {
      this.total[side].speechTokens += step[side].speechTokens;
      this.total[side].textTokens += step[side].textTokens;
    }
    const totalInput = this.total.input.speechTokens + this.total.input.textTokens;
    const totalOutput = this.total.output.speechTokens + this.total.output.textTokens;
    this.emit('usageEvent', {
      details: { delta: step, total: structuredClone(this.total) },
      totalInputTokens: totalInput,
      totalOutputTokens: totalOutput,
      totalTokens: totalInput + totalOutput,
    });
  }

  completionStartOnce(): void {
    if (this.completionStarted) return;
    this.completionStarted = true;
    this.emit('completionStart', {});
  }

  completionEnd(stopReason: StopReason): void {
    this.emit('completionEnd', { stopReason });
  }

  /** One TEXT content: contentStart, a textOutput, contentEnd. */
  textBlock(role: Role, stage: GenerationStage, content: string, stopReason: StopReason): void {
    const contentId = randomUUID();
    this.emit('contentStart', {
      additionalModelFields: JSON.stringify({ generationStage: stage }),
      contentId,
      role,
      textOutputConfiguration: { mediaType: 'text/plain' },
      type: 'TEXT',
    });
    this.emit('textOutput', { content, contentId, role });
    this.emit('contentEnd', { contentId, stopReason, type: 'TEXT' });
  }

  audioStart(): string {
    const contentId = randomUUID();
    this.emit('contentStart', {
      audioOutputConfiguration: {
        channelCount: 1,
        encoding: 'base64',
        mediaType: 'audio/lpcm',
        sampleRateHertz: OUTPUT_SAMPLE_RATE,
        sampleSizeBits: 16,
      },
      contentId,
      role: 'ASSISTANT',
      type: 'AUDIO',
    });
    return contentId;
  }

  audio(contentId: string, pcm: Buffer): void {
    this.emit('audioOutput', { content: pcm.toString('base64'), contentId, role: 'ASSISTANT' });
  }

  audioEnd(contentId: string, stopReason: StopReason): void {
    this.emit('contentEnd', { contentId, stopReason, type: 'AUDIO' });
  }

  private emit(name: string, fields: Record<string, unknown>): void {
    const body = {
      completionId: this.completionId,
      promptName: this.promptName,
      sessionId: this.sessionId,
      ...fields,
    };
    this.send({ event: { [name]: body } });
  }
}

function zero(): Tokens {
  return {
    input: { speechTokens: 0, textTokens: 0 },
    output: { speechTokens: 0, textTokens: 0 },
  };
}
