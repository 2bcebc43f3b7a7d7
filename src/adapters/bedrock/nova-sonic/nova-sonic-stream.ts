import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Clock } from '../../../domain/clock.ts';
import type { SpeechStream, SpeechStreamHandlers } from '../../../domain/ports/speech-engine.ts';
import { TurnDetector } from '../../../domain/turn-detector.ts';
import type { Logger } from '../../../log.ts';
import type { SessionSettings } from './events.ts';
import type { HistoryTurn } from './history.ts';
import { LineRequest, sameLine } from './line-request.ts';
import { SonicConnection } from './sonic-connection.ts';

export interface NovaSonicObserver {
  streamOpened(reason: 'start' | 'rotate' | 'reconnect'): void;
  streamFailed(errorName: string): void;
}

export interface NovaSonicStreamOptions {
  client: BedrockRuntimeClient;
  modelId: string;
  settings: SessionSettings;
  systemPrompt: string;
  /** The conversation so far, when a test resumes on this stream. */
  history: HistoryTurn[];
  firstTurnId: number;
  rotateAfterMs: number;
  endOfTurnMs: number;
  transcriptWaitMs: number;
  /** A line whose audio has not started by then counts as a failed stream. */
  lineTimeoutMs: number;
  backoffMs: number[];
  observer: NovaSonicObserver;
  logger: Logger;
}

const BYTES_PER_MS = 32;
/** Candidate audio kept while no stream is up; older audio is of no use to a new stream. */
const RECONNECT_BUFFER_BYTES = 3000 * BYTES_PER_MS;
const KEEPALIVE_TICK_MS = 100;

/**
 * A speaking test's conversation with Nova Sonic, across as many Bedrock streams as it takes:
 * rotated before the stream limit, re-opened with the conversation so far after a failure, kept
 * alive with silence while the candidate is quiet.
 */
export class NovaSonicStream implements SpeechStream {
  private conn: SonicConnection;
  private readonly history: HistoryTurn[];
  private readonly detector: TurnDetector;
  private listening = false;
  private closed = false;
  private nextTurnId: number;
  private turnStartedAt: number | null = null;
  private lines: LineRequest[] = [];
  private routing: LineRequest | null = null;
  private unsolicited = false;
  private userText: string[] = [];
  private pendingTurns: Array<{ turnId: number; speechMs: number; timer: NodeJS.Timeout }> = [];
  private rotateWanted = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private lastAudioAt = Date.now();
  /** A stalled stream says nothing and ends nothing: only a line that never starts shows it. */
  private lineWatchdog: NodeJS.Timeout | null = null;
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    private readonly clock: Clock,
    private readonly handlers: SpeechStreamHandlers,
    private readonly options: NovaSonicStreamOptions,
  ) {
    this.detector = new TurnDetector({ endOfTurnMs: options.endOfTurnMs });
    this.history = [...options.history];
    this.nextTurnId = options.firstTurnId;
    this.conn = this.connect('start');
    this.keepalive = setInterval(() => this.tick(), KEEPALIVE_TICK_MS);
  }

  pushAudio(pcm16k: Buffer): void {
    if (this.closed || pcm16k.length === 0) return;
    this.lastAudioAt = Date.now();
    this.forward(pcm16k);
    if (!this.listening) return;
    for (const event of this.detector.push(pcm16k)) {
      if (event.type === 'started') {
        this.turnStartedAt = this.clock.now();
        this.handlers.candidateStarted(this.turnStartedAt);
      } else {
        const turnId = this.nextTurnId++;
        const { stats } = event;
        this.handlers.candidateStopped({
          turnId,
          startedAt: this.turnStartedAt ?? this.clock.now(),
          endedAt: this.clock.now(),
          speechMs: stats.speechMs,
          pauseCount: stats.pauseCount,
          pauseMs: stats.pauseMs,
          runsMs: stats.runsMs,
        });
        this.awaitTranscript(turnId, stats.speechMs);
      }
    }
  }

  say(text: string, signal?: AbortSignal): Promise<{ durationMs: number }> {
    if (this.closed) return Promise.resolve({ durationMs: 0 });
    const request = new LineRequest(text, this.clock, signal);
    this.lines.push(request);
    request.done.finally(() => this.finishLine(request)).catch(() => {});
    if (this.lines.length === 1) this.sendLine(request);
    return request.done;
  }

  prefetch(): void {
    // The model voices lines itself; there is nothing to prepare.
  }

  listen(on: boolean): void {
    if (this.closed || on === this.listening) return;
    this.listening = on;
    this.detector.reset();
    this.turnStartedAt = null;
    this.maybeRotate();
  }

  /** A part boundary: the next idle moment starts a fresh stream. */
  boundary(): void {
    this.rotateWanted = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    this.disarmWatchdog();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const pending of this.pendingTurns) clearTimeout(pending.timer);
    for (const line of this.lines) line.abort();
    await this.conn.close();
  }

  private connect(reason: 'start' | 'rotate' | 'reconnect'): SonicConnection {
    const o = this.options;
    const conn: SonicConnection = new SonicConnection(
      o.client,
      {
        modelId: o.modelId,
        settings: o.settings,
        systemPrompt: o.systemPrompt,
        history: [...this.history],
      },
      {
        assistantText: (stage, text) => {
          if (conn !== this.conn || stage !== 'SPECULATIVE') return;
          // The model may answer the candidate on its own; only the line we asked for is relayed.
          const line = this.lines[0];
          this.unsolicited = !line || !line.sent || !sameLine(text, line.text);
        },
        assistantAudioStart: () => {
          const line = this.lines[0];
          this.routing = conn === this.conn && !this.unsolicited && line?.sent ? line : null;
          this.unsolicited = false;
          if (this.routing) this.disarmWatchdog();
        },
        assistantAudio: (pcm) => {
          if (conn !== this.conn || !this.routing) return;
          this.routing.heard(pcm.length / 2 / 24);
          this.handlers.examinerAudio(pcm);
        },
        assistantAudioEnd: (stopReason) => {
          const line = this.routing;
          this.routing = null;
          if (conn === this.conn && line) line.finish(stopReason === 'INTERRUPTED');
        },
        userText: (text) => this.onUserText(text),
        interrupted: () => {
          if (conn !== this.conn) return;
          this.handlers.examinerAudioCleared?.();
          this.routing?.finish(true);
          this.routing = null;
        },
        ended: (error) => this.onEnded(conn, error),
      },
    );
    o.observer.streamOpened(reason);
    for (const chunk of this.buffered) conn.sendAudio(chunk);
    this.buffered = [];
    this.bufferedBytes = 0;
    const line = this.lines[0];
    if (line?.sent) {
      conn.sendLine(line.text);
      this.armWatchdog(conn);
    }
    return conn;
  }

  private sendLine(line: LineRequest): void {
    line.sent = true;
    this.history.push({ role: 'ASSISTANT', text: line.text });
    this.conn.sendLine(line.text);
    this.armWatchdog(this.conn);
  }

  private armWatchdog(conn: SonicConnection): void {
    this.disarmWatchdog();
    this.lineWatchdog = setTimeout(() => {
      this.lineWatchdog = null;
      if (conn !== this.conn || this.closed) return;
      conn.destroy();
      this.onEnded(
        conn,
        Object.assign(new Error('no audio for the line'), { name: 'LineTimeout' }),
      );
    }, this.options.lineTimeoutMs);
  }

  private disarmWatchdog(): void {
    if (this.lineWatchdog) clearTimeout(this.lineWatchdog);
    this.lineWatchdog = null;
  }

  private finishLine(line: LineRequest): void {
    this.lines = this.lines.filter((l) => l !== line);
    this.disarmWatchdog();
    if (this.routing === line) this.routing = null;
    // The moment after a line is the likeliest quiet one before the candidate answers.
    this.maybeRotate();
    const next = this.lines[0];
    if (next && !next.sent && !this.closed) this.sendLine(next);
  }

  private forward(pcm: Buffer): void {
    if (this.conn.isOpen) {
      this.conn.sendAudio(pcm);
      return;
    }
    this.buffered.push(pcm);
    this.bufferedBytes += pcm.length;
    while (this.bufferedBytes > RECONNECT_BUFFER_BYTES && this.buffered.length > 1) {
      this.bufferedBytes -= (this.buffered.shift() as Buffer).length;
    }
  }

  private onUserText(text: string): void {
    const clean = text.trim();
    if (!clean) return;
    this.userText.push(clean);
    this.history.push({ role: 'USER', text: clean });
    const first = this.pendingTurns[0];
    if (first) {
      // More pieces of the same turn may follow; give them a moment.
      clearTimeout(first.timer);
      first.timer = setTimeout(() => this.flushTranscript(), 300);
    }
  }

  private awaitTranscript(turnId: number, speechMs: number): void {
    const timer = setTimeout(() => this.flushTranscript(), this.options.transcriptWaitMs);
    this.pendingTurns.push({ turnId, speechMs, timer });
    if (this.userText.length > 0 && this.pendingTurns.length === 1) {
      clearTimeout(timer);
      (this.pendingTurns[0] as { timer: NodeJS.Timeout }).timer = setTimeout(
        () => this.flushTranscript(),
        300,
      );
    }
  }

  private flushTranscript(): void {
    const turn = this.pendingTurns.shift();
    if (!turn || this.closed) return;
    const text = this.userText.join(' ').trim();
    this.userText = [];
    this.handlers.transcript({
      turnId: turn.turnId,
      status: text ? 'final' : 'unavailable',
      text: text || null,
      recogniser: text ? 'nova-sonic' : null,
      speechMs: turn.speechMs,
    });
  }

  private tick(): void {
    if (this.closed) return;
    // Bedrock ends a stream that hears nothing; a quiet candidate still sends silence.
    if (Date.now() - this.lastAudioAt >= 2 * KEEPALIVE_TICK_MS) {
      this.forward(Buffer.alloc(KEEPALIVE_TICK_MS * BYTES_PER_MS));
    }
    this.maybeRotate();
    if (this.conn.ageMs > 30_000) this.failures = 0;
  }

  /**
   * Rotates only between lines and never inside a candidate turn, so no line is cut and each
   * turn's audio reaches one stream whole (the old stream is closed gracefully and still delivers
   * the transcript of the turn it heard).
   */
  private maybeRotate(): void {
    const quiet = !this.lines[0]?.sent && !(this.listening && this.detector.inTurn);
    const due = this.rotateWanted || this.conn.ageMs >= this.options.rotateAfterMs;
    if (!quiet || !due || !this.conn.isOpen || this.closed) return;
    this.rotateWanted = false;
    const old = this.conn;
    this.conn = this.connect('rotate');
    void old.close();
  }

  private onEnded(conn: SonicConnection, error: Error | null): void {
    if (conn !== this.conn || this.closed || error === null || this.reconnectTimer) return;
    this.disarmWatchdog();
    this.options.observer.streamFailed(error.name || 'Error');
    this.options.logger.warn(
      { err: error, attempt: this.failures + 1 },
      'nova sonic stream failed',
    );
    if (this.routing) {
      // The line will be said again from its start on the new stream.
      this.handlers.examinerAudioCleared?.();
      this.routing.restart();
      this.routing = null;
    }
    const delays = this.options.backoffMs;
    if (this.failures >= delays.length) {
      this.handlers.error(error);
      return;
    }
    const delay = delays[this.failures] ?? 1000;
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed) this.conn = this.connect('reconnect');
    }, delay);
  }
}
