import type { Clock } from '../../domain/clock.ts';
import type {
  SpeechEngine,
  SpeechEngineOpenOptions,
  SpeechStream,
  SpeechStreamHandlers,
} from '../../domain/ports/speech-engine.ts';
import { TurnDetector, type TurnEvent } from '../../domain/turn-detector.ts';
import { type Logger, silentLogger } from '../../log.ts';
import { DEFAULT_VOICE, EXAMINER_SAMPLE_RATE, synthesise } from './espeak-voice.ts';
import type { Recogniser } from './pocketsphinx-recogniser.ts';
import { TurnAudioBuffer } from './turn-audio.ts';

export interface OfflineSpeechEngineOptions {
  endOfTurnMs?: number;
  voice?: string;
  recogniser?: Recogniser | null;
  logger?: Logger;
}

/** 100 ms of 24 kHz PCM16: small enough to start playing at once, big enough to be cheap. */
const EXAMINER_CHUNK_BYTES = (EXAMINER_SAMPLE_RATE / 10) * 2;
const CANDIDATE_BYTES_PER_MS = 32;
/** A turn longer than this keeps only its latest audio for recognition. */
const MAX_TURN_AUDIO_MS = 180_000;
/** Audio kept around a turn so the recogniser hears soft first and last sounds. */
const PRE_ROLL_MS = 200;
const POST_ROLL_MS = 300;
/** Kept while idle so the onset that opens a turn is still there when the turn is cut out. */
const IDLE_KEEP_MS = 1000;
const MAX_PREPARED_LINES = 3;

/** The embedded SpeechEngine: espeak-ng voice, energy turn detection, optional pocketsphinx. */
export class OfflineSpeechEngine implements SpeechEngine {
  readonly name = 'offline';

  constructor(private readonly options: OfflineSpeechEngineOptions = {}) {}

  async open({
    sessionId,
    clock,
    handlers,
    firstTurnId,
  }: SpeechEngineOpenOptions): Promise<SpeechStream> {
    const logger = (this.options.logger ?? silentLogger).child({
      component: 'speech-offline',
      sessionId,
    });
    const stream = new OfflineSpeechStream(clock, handlers, logger, this.options);
    stream.nextTurnId = firstTurnId ?? 1;
    return stream;
  }
}

function abortError(reason?: unknown): Error {
  const error = new Error('the line was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

class OfflineSpeechStream implements SpeechStream {
  private readonly detector: TurnDetector;
  private readonly audio = new TurnAudioBuffer(MAX_TURN_AUDIO_MS * CANDIDATE_BYTES_PER_MS);
  private readonly voice: string;
  private readonly recogniser: Recogniser | null;
  private readonly closing = new AbortController();
  private listening = false;
  private closed = false;
  private sayQueue: Promise<void> = Promise.resolve();
  private recognitionQueue: Promise<void> = Promise.resolve();
  nextTurnId = 1;
  private currentTurn: { turnId: number; startedAt: number } | null = null;
  /** Lines synthesised ahead of time, so the examiner answers without synthesis latency. */
  private readonly prepared = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly clock: Clock,
    private readonly handlers: SpeechStreamHandlers,
    private readonly logger: Logger,
    options: OfflineSpeechEngineOptions,
  ) {
    this.detector = new TurnDetector({ endOfTurnMs: options.endOfTurnMs ?? 2000 });
    this.voice = options.voice ?? DEFAULT_VOICE;
    this.recogniser = options.recogniser ?? null;
  }

  say(text: string, signal?: AbortSignal): Promise<{ durationMs: number }> {
    if (this.closed) return Promise.resolve({ durationMs: 0 });
    const previous = this.sayQueue;
    const line = this.speak(text, previous, signal);
    // Lines play one after another; an aborted line must not let the next overtake the one
    // still playing before it.
    this.sayQueue = Promise.allSettled([previous, line]).then(() => undefined);
    return line;
  }

  prefetch(text: string): void {
    if (this.closed || this.prepared.has(text)) return;
    // A few lines at most: a prefetch that was not used must not grow memory.
    if (this.prepared.size >= MAX_PREPARED_LINES) {
      const oldest = this.prepared.keys().next().value as string;
      this.prepared.delete(oldest);
    }
    const pcm = synthesise(text, { voice: this.voice });
    pcm.catch(() => this.prepared.delete(text));
    this.prepared.set(text, pcm);
  }

  pushAudio(pcm16k: Buffer): void {
    if (this.closed || !this.listening || pcm16k.length === 0) return;
    this.audio.append(pcm16k);
    for (const event of this.detector.push(pcm16k)) {
      // A handler may stop listening or close the stream; the rest of the chunk is then moot.
      if (this.closed || !this.listening) return;
      this.onTurnEvent(event);
    }
    if (!this.detector.inTurn) {
      this.audio.dropBefore(this.audio.endByte - IDLE_KEEP_MS * CANDIDATE_BYTES_PER_MS);
    }
  }

  listen(on: boolean): void {
    if (this.closed || on === this.listening) return;
    this.listening = on;
    this.detector.reset();
    this.audio.clear();
    this.currentTurn = null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listening = false;
    this.closing.abort();
    this.detector.reset();
    this.audio.clear();
    this.currentTurn = null;
    this.prepared.clear();
    await Promise.allSettled([this.sayQueue, this.recognitionQueue]);
  }

  private async speak(
    text: string,
    previous: Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<{ durationMs: number }> {
    const signals = signal ? [signal, this.closing.signal] : [this.closing.signal];
    const stop = AbortSignal.any(signals);
    const aborted = new Promise<never>((_, reject) => {
      if (stop.aborted) reject(abortError(stop.reason));
      stop.addEventListener('abort', () => reject(abortError(stop.reason)), { once: true });
    });
    aborted.catch(() => {});

    await Promise.race([previous, aborted]);
    const ready = this.prepared.get(text);
    this.prepared.delete(text);
    const pcm = await Promise.race([ready ?? synthesise(text, { voice: this.voice }), aborted]);

    for (let offset = 0; offset < pcm.length; offset += EXAMINER_CHUNK_BYTES) {
      if (stop.aborted) throw abortError(stop.reason);
      this.handlers.examinerAudio(pcm.subarray(offset, offset + EXAMINER_CHUNK_BYTES));
    }
    const durationMs = Math.round(pcm.length / 2 / (EXAMINER_SAMPLE_RATE / 1000));

    let timer: unknown;
    const played = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, durationMs);
    });
    try {
      await Promise.race([played, aborted]);
    } finally {
      this.clock.clearTimeout(timer);
    }
    return { durationMs };
  }

  private onTurnEvent(event: TurnEvent): void {
    if (event.type === 'started') {
      const startedAt = this.clock.now();
      this.currentTurn = { turnId: this.nextTurnId++, startedAt };
      this.handlers.candidateStarted(startedAt);
      return;
    }
    const turn = this.currentTurn;
    if (!turn) return;
    this.currentTurn = null;
    const { stats } = event;
    this.handlers.candidateStopped({
      turnId: turn.turnId,
      startedAt: turn.startedAt,
      endedAt: this.clock.now(),
      speechMs: stats.speechMs,
      pauseCount: stats.pauseCount,
      pauseMs: stats.pauseMs,
      runsMs: stats.runsMs,
    });

    const endByte = (stats.endMs + POST_ROLL_MS) * CANDIDATE_BYTES_PER_MS;
    const pcm = this.audio.slice((stats.startMs - PRE_ROLL_MS) * CANDIDATE_BYTES_PER_MS, endByte);
    this.audio.dropBefore(endByte);
    this.recognitionQueue = this.recognitionQueue.then(() =>
      this.recognise(turn.turnId, pcm, stats.speechMs),
    );
  }

  /** Runs off the audio path, one turn at a time; a failure costs the text, never the turn. */
  private async recognise(turnId: number, pcm: Buffer, speechMs: number): Promise<void> {
    const recogniser = this.recogniser;
    const unavailable = { turnId, status: 'unavailable', text: null, recogniser: null, speechMs };
    if (this.closed) return;
    if (!recogniser) {
      this.handlers.transcript({ ...unavailable, status: 'unavailable' });
      return;
    }
    try {
      const text = await recogniser.transcribe(pcm, this.closing.signal);
      if (this.closed) return;
      this.handlers.transcript({
        turnId,
        status: 'final',
        text,
        recogniser: recogniser.name,
        speechMs,
      });
    } catch (err) {
      if (this.closed) return;
      this.logger.warn({ err, turnId, recogniser: recogniser.name }, 'speech recognition failed');
      this.handlers.transcript({ ...unavailable, status: 'unavailable' });
    }
  }
}
