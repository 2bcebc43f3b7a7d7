import { TurnDetector, type TurnStats } from '../../../src/domain/turn-detector.ts';
import { AssistantVoice } from './assistant-voice.ts';
import { armFault, EXCEPTION_MESSAGES, type FaultTarget } from './faults.ts';
import type { ResponseChannel } from './response-channel.ts';
import { type InputAction, SonicInput, SonicValidationError } from './sonic-input.ts';
import { OUTPUT_SAMPLE_RATE, SonicOutput, speechTokens, textTokens } from './sonic-output.ts';
import type { ExceptionType, ResolvedOptions, StreamFault, StreamRecord } from './types.ts';
import { voiceLine } from './voice-cache.ts';

export const INPUT_TIMEOUT_MESSAGE = 'Timed out waiting for input events';
export const USER_SILENCE_MESSAGE = 'InternalErrorCode=531: Request timeout';
export const SPEECH_REPLY = 'I see.';
const MODEL_VOICE = 'en-gb';

export interface SessionContext {
  record: StreamRecord;
  channel: ResponseChannel;
  options: ResolvedOptions;
}

/** One bidirectional stream's scripted Nova Sonic: validation, timers, turns and replies. */
export class SonicSession implements FaultTarget {
  readonly channel: ResponseChannel;
  private readonly record: StreamRecord;
  private readonly options: ResolvedOptions;
  private readonly input = new SonicInput();
  private output: SonicOutput | undefined;
  private voice: AssistantVoice | undefined;
  private detector = new TurnDetector({ sampleRate: 16_000 });
  private turnIndex = 0;
  private jobs: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly streamTimer: Watchdog;
  private readonly inputTimer: Watchdog;
  private readonly silenceTimer: Watchdog;
  private readonly disarms: Array<() => void> = [];

  constructor(context: SessionContext) {
    this.channel = context.channel;
    this.record = context.record;
    this.options = context.options;
    const { maxStreamMs, inputTimeoutMs, userSilenceMs } = this.options;
    this.streamTimer = new Watchdog(maxStreamMs, () =>
      this.fail('modelTimeoutException', EXCEPTION_MESSAGES.modelTimeoutException),
    );
    this.inputTimer = new Watchdog(inputTimeoutMs, () =>
      this.fail('validationException', INPUT_TIMEOUT_MESSAGE),
    );
    this.silenceTimer = new Watchdog(userSilenceMs, () =>
      this.fail('validationException', USER_SILENCE_MESSAGE),
    );
  }

  arm(fault: StreamFault, mode: 'next' | 'live'): void {
    if (!this.stopped) this.disarms.push(armFault(fault, this, mode));
  }

  receive(event: unknown): void {
    this.inputTimer.kick();
    let parsed: ReturnType<typeof SonicInput.parse>;
    try {
      parsed = SonicInput.parse(event);
    } catch (error) {
      this.record.events.push({ name: '(invalid)', body: event });
      this.failValidation(error);
      return;
    }
    this.record.events.push({ name: parsed.name, body: recorded(parsed.name, parsed.body) });
    if (this.stopped) return;
    let action: InputAction;
    try {
      action = this.input.accept(parsed.name, parsed.body);
    } catch (error) {
      this.failValidation(error);
      return;
    }
    this.act(action);
  }

  /** The client sent the empty end frame or half-closed. */
  inputEnded(): void {
    if (this.stopped) return;
    this.inputTimer.stop();
    // After sessionEnd the close is already queued; without it the response ends bare.
    if (!this.input.ended) this.enqueue(() => this.finish());
  }

  failSignature(message: string): void {
    if (this.stopped) return;
    // Bedrock has no modelled member for it, so it arrives as an error named like the real one.
    this.channel.error('InvalidSignatureException', message);
    this.channel.end();
    this.stop('server', `InvalidSignatureException: ${message}`);
  }

  fail(type: ExceptionType, message: string): void {
    if (this.stopped) return;
    this.channel.exception(type, message);
    this.channel.end();
    this.stop('server', `${type}: ${message}`);
  }

  stopForFault(description: string): void {
    this.stop('fault', description);
  }

  /** The server is shutting down under an open stream. */
  shutdown(): void {
    this.stop('server');
  }

  /** The HTTP/2 stream closed: whoever has not been recorded as closing it was the client. */
  dispose(): void {
    this.stop('client');
  }

  private act(action: InputAction): void {
    switch (action.kind) {
      case 'session-start':
        this.detector = new TurnDetector({ sampleRate: 16_000, endOfTurnMs: action.endpointingMs });
        return;
      case 'prompt-start':
        this.output = new SonicOutput((event) => this.channel.event(event), action.promptName);
        this.voice = new AssistantVoice(this.output, {
          pacing: this.options.audioPacing,
          stamp: this.options.stampAudio,
        });
        return;
      case 'user-text':
        this.reply(action.text);
        return;
      case 'audio':
        this.hear(action.pcm);
        return;
      case 'session-end':
        this.inputTimer.stop();
        this.silenceTimer.stop();
        this.enqueue(() => {
          this.output?.completionEnd('END_TURN');
          this.finish();
        });
        return;
      case 'none':
        return;
    }
  }

  private hear(pcm: Buffer): void {
    for (const event of this.detector.push(pcm)) {
      this.silenceTimer.kick();
      if (event.type === 'started' && this.voice?.speaking) this.voice.interrupt();
      if (event.type === 'ended') this.userTurn(event.stats);
    }
    if (this.detector.inTurn) this.silenceTimer.kick();
  }

  private userTurn(stats: TurnStats): void {
    let transcript: string;
    try {
      transcript = this.options.transcript({
        streamId: this.record.id,
        turnIndex: this.turnIndex++,
        speechMs: stats.speechMs,
      });
    } catch (error) {
      this.fail('internalServerException', `transcript callback failed: ${String(error)}`);
      return;
    }
    // Nova splits ASR into several FINAL blocks; the last one closing the turn lets adapters
    // tell a finished turn without waiting for a reply that may never come.
    const parts = transcript.split(/(?<=[.!?])\s+/).filter((part) => part !== '');
    if (parts.length === 0) parts.push(transcript);
    this.enqueue(() => {
      const output = this.output;
      if (!output) return;
      output.usage({ inputSpeech: speechTokens(stats.speechMs) });
      output.completionStartOnce();
      parts.forEach((part, i) => {
        output.textBlock(
          'USER',
          'FINAL',
          part,
          i === parts.length - 1 ? 'END_TURN' : 'PARTIAL_TURN',
        );
      });
    });
    if (this.options.replyToSpeech) this.reply(SPEECH_REPLY);
  }

  private reply(text: string): void {
    const audio = voiceLine(text, OUTPUT_SAMPLE_RATE, MODEL_VOICE);
    // Started now so synthesis overlaps earlier replies; its failure surfaces in the job.
    audio.catch(() => {});
    this.enqueue(async () => {
      const output = this.output;
      const voice = this.voice;
      if (!output || !voice) return;
      output.usage({ inputText: textTokens(text), outputText: textTokens(text) });
      output.completionStartOnce();
      await voice.say(text, audio);
    });
  }

  /** Output jobs run one at a time so content blocks never interleave, as on the real stream. */
  private enqueue(job: () => void | Promise<void>): void {
    this.jobs = this.jobs
      .then(() => (this.stopped ? undefined : job()))
      .catch((error: unknown) => {
        this.fail('modelStreamErrorException', `The scripted model failed: ${String(error)}`);
      });
  }

  private finish(): void {
    this.channel.end();
    this.stop('client');
  }

  private failValidation(error: unknown): void {
    if (!(error instanceof SonicValidationError)) throw error;
    this.fail('validationException', error.message);
  }

  private stop(closedBy: NonNullable<StreamRecord['closedBy']>, error?: string): void {
    if (error) this.record.errors.push(error);
    if (this.stopped) return;
    this.stopped = true;
    this.record.closedBy ??= closedBy;
    for (const timer of [this.streamTimer, this.inputTimer, this.silenceTimer]) timer.stop();
    for (const disarm of this.disarms) disarm();
    this.voice?.cancel();
  }
}

/** A timeout that activity pushes back; a stopped one stays stopped. */
class Watchdog {
  private timer: NodeJS.Timeout | undefined;

  constructor(ms: number, onTimeout: () => void) {
    // Past setTimeout's 32-bit range Node fires at once; limits that large mean "never".
    if (ms < 2 ** 31) this.timer = setTimeout(onTimeout, ms);
  }

  kick(): void {
    this.timer?.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function recorded(name: string, body: Record<string, unknown>): unknown {
  if (name !== 'audioInput' || typeof body.content !== 'string') return body;
  const { content, ...rest } = body;
  return { ...rest, bytes: Buffer.from(content, 'base64').length };
}
