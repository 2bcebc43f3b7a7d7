import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { type Actor, createActor, type InspectionEvent } from 'xstate';
import {
  type ExaminerScript,
  type Line,
  type PublicStateName,
  partOf,
  publicStateName,
  statePath,
  type Timings,
  timeLeft,
} from '../../../machines/examiner/index.ts';
import type { Clock } from '../../domain/clock.ts';
import type { AssessmentStore } from '../../domain/ports/assessment-store.ts';
import type { Scorer, SpeakingResult } from '../../domain/ports/scorer.ts';
import type { SpeechEngine, SpeechStream } from '../../domain/ports/speech-engine.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ExaminerMetrics } from '../metrics.ts';
import { type ClientMessage, PROTOCOL_VERSION, type ServerMessage } from '../protocol/messages.ts';
import { likelyNextLines } from './build-script.ts';
import { CandidateChannel } from './candidate-channel.ts';
import { type ProvidedExaminer, provideExaminer } from './examiner-actor.ts';
import { TurnLog } from './turn-log.ts';

export interface LiveSessionDeps {
  clock: Clock;
  engine: SpeechEngine;
  scorer: Scorer;
  store: AssessmentStore;
  metrics: ExaminerMetrics;
  logger: Logger;
  timings: Timings;
  maxTextFrameBytes: number;
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /** Called once when the test reaches `done` or `failed`. */
  onEnded?: (sessionId: string) => void;
}

export interface LiveSessionInfo {
  sessionId: string;
  candidateId: string;
  script: ExaminerScript;
}

const LISTENING = /(listening|answering|talking)$/;

/** One speaking test: one examiner actor, one candidate socket, one speech stream. */
export class LiveSession {
  readonly sessionId: string;
  private readonly channel: CandidateChannel;
  private actor: Actor<ProvidedExaminer> | null = null;
  private stream: SpeechStream | null = null;
  private readonly turns = new TurnLog();
  private readonly log: Logger;
  private state: PublicStateName | null = null;
  private path = '';
  private stoppedAtWall: number | null = null;
  private ended = false;
  private startRequested = false;
  private listening = false;
  private readonly nextLine: Map<string, string>;

  constructor(
    private readonly deps: LiveSessionDeps,
    private readonly info: LiveSessionInfo,
  ) {
    this.sessionId = info.sessionId;
    this.nextLine = likelyNextLines(info.script);
    this.log = deps.logger.child({ sessionId: info.sessionId });
    this.channel = new CandidateChannel({
      maxFrameBytes: deps.maxTextFrameBytes,
      metrics: deps.metrics,
      log: this.log,
    });
  }

  get attached(): boolean {
    return this.channel.attached;
  }

  get isStarted(): boolean {
    return this.startRequested;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  attach(socket: WebSocket): void {
    this.channel.attach(socket, {
      message: (message) => this.onMessage(message),
      audio: (pcm) => this.onAudio(pcm),
      closed: () => this.onClose(),
    });
    const resumed = this.actor?.getSnapshot().value === 'suspended';
    this.send({ type: 'ready', protocol: PROTOCOL_VERSION, sessionId: this.sessionId, resumed });
    if (resumed && this.actor) {
      this.log.info('candidate reconnected');
      this.actor.send({ type: 'RESUME', at: this.deps.clock.now() });
    } else if (this.actor) {
      this.sendState();
    }
  }

  private onMessage(message: ClientMessage): void {
    if (message.type === 'start') this.requestStart(message.protocol);
    else if (message.type === 'ping') {
      this.send({ type: 'pong', ...(message.id ? { id: message.id } : {}) });
    } else if (message.type === 'leave') this.leave();
  }

  private onAudio(pcm: Buffer): void {
    if (!this.stream || !this.actor) {
      throw new AppError('AUDIO_BEFORE_START', 'send {"type":"start"} before audio');
    }
    if (pcm.length % 2 !== 0) {
      throw new AppError('AUDIO_ODD_BYTES', 'audio frames are PCM16: an even number of bytes');
    }
    this.stream.pushAudio(pcm);
  }

  private requestStart(protocol: number | undefined): void {
    if (protocol !== undefined && protocol !== PROTOCOL_VERSION) {
      throw new AppError('PROTOCOL_UNSUPPORTED', `this server speaks protocol ${PROTOCOL_VERSION}`);
    }
    if (this.startRequested) throw new AppError('ALREADY_STARTED', 'the test has already started');
    this.startRequested = true;
    void this.start();
  }

  private async start(): Promise<void> {
    const { clock, engine, metrics } = this.deps;
    try {
      this.stream = await engine.open({
        sessionId: this.sessionId,
        clock,
        handlers: {
          examinerAudio: (pcm) => this.onExaminerAudio(pcm),
          candidateStarted: (at) => {
            this.send({ type: 'turn', event: 'started' });
            this.actor?.send({ type: 'CANDIDATE_STARTED', at });
          },
          candidateStopped: (turn) => {
            this.stoppedAtWall = performance.now();
            this.turns.addTurn(partOf(this.state ?? 'intro') ?? 'part3', turn);
            this.send({
              type: 'turn',
              event: 'stopped',
              turnId: turn.turnId,
              speechMs: turn.speechMs,
            });
            this.actor?.send({ type: 'CANDIDATE_STOPPED', at: turn.endedAt });
          },
          transcript: (result) => {
            this.turns.setTranscript(result);
            const { turnId, status, text, speechMs } = result;
            this.send({ type: 'transcript', turnId, status, text, speechMs });
          },
          examinerAudioCleared: () => {
            this.channel.clearAudio();
            this.send({ type: 'clear_audio' });
          },
          error: (error) => {
            metrics.engineErrors.inc({ engine: engine.name, error: 'fatal' });
            this.log.error({ err: error }, 'speech stream failed');
            this.actor?.send({
              type: 'ABORT',
              at: clock.now(),
              code: 'ENGINE_FAILED',
              message: 'speech engine failed',
            });
          },
        },
      });
    } catch (error) {
      metrics.engineErrors.inc({ engine: engine.name, error: 'open' });
      this.log.error({ err: error }, 'speech stream failed to open');
      // Nothing started: the candidate may send start again.
      this.startRequested = false;
      this.stream = null;
      this.channel.refuse(new AppError('ENGINE_FAILED', 'the speech engine is unavailable'));
      return;
    }
    metrics.engineStreams.inc({ engine: engine.name, reason: 'start' });
    metrics.sessionsStarted.inc();
    const machine = provideExaminer({
      clock,
      speakLine: (line, signal) => this.speak(line, signal),
      scoreTest: () => this.score(),
    });
    this.actor = createActor(machine, {
      input: {
        sessionId: this.sessionId,
        script: this.info.script,
        timings: this.deps.timings,
        at: clock.now(),
      },
      ...(this.deps.inspect ? { inspect: this.deps.inspect } : {}),
    });
    this.actor.subscribe({
      next: () => this.onSnapshot(),
      error: (error) => this.log.error({ err: error }, 'examiner actor failed'),
    });
    this.actor.start();
    // The candidate left while the engine was opening: the test starts suspended.
    if (!this.channel.attached) this.actor.send({ type: 'SUSPEND', at: clock.now() });
  }

  private async speak(line: Line, signal: AbortSignal): Promise<void> {
    this.send({ type: 'caption', speaker: 'examiner', lineId: line.id, text: line.text });
    const said = this.stream?.say(line.text, signal);
    const next = this.nextLine.get(line.id);
    if (next) this.stream?.prefetch?.(next);
    await said;
  }

  private onExaminerAudio(pcm: Buffer): void {
    if (this.stoppedAtWall !== null) {
      this.deps.metrics.turnLatency.observe((performance.now() - this.stoppedAtWall) / 1000);
      this.stoppedAtWall = null;
    }
    if (!this.channel.sendAudio(pcm)) this.log.warn('client too slow for examiner audio');
  }

  private async score(): Promise<SpeakingResult> {
    const started = performance.now();
    await this.turns.settled(10_000);
    const result = await this.deps.scorer.scoreSpeaking({
      sessionId: this.sessionId,
      turns: this.turns.scoringInput(),
    });
    await this.deps.store.put({
      assessmentId: this.sessionId,
      candidateId: this.info.candidateId,
      kind: 'speaking',
      createdAt: new Date().toISOString(),
      result,
    });
    this.deps.metrics.scoringSeconds.observe((performance.now() - started) / 1000);
    return result;
  }

  private onSnapshot(): void {
    const actor = this.actor;
    if (!actor) return;
    const snapshot = actor.getSnapshot();
    const path = statePath(snapshot);
    if (path !== this.path) {
      this.path = path;
      const listening = LISTENING.test(path);
      if (listening !== this.listening) {
        this.listening = listening;
        this.stream?.listen(listening);
        this.send({ type: 'listening', on: listening });
      }
    }
    const name = publicStateName(snapshot);
    if (name === this.state) return;
    const from = this.state ?? 'none';
    const { metrics } = this.deps;
    if (this.state) metrics.liveSessions.dec({ state: this.state });
    metrics.liveSessions.inc({ state: name });
    metrics.transitions.inc({ from, to: name });
    if (partOf(name) !== partOf(from as PublicStateName)) this.stream?.boundary?.();
    this.state = name;
    this.log.info({ from, to: name }, 'examiner state changed');
    this.sendState();
    // Entering Part 2 from elsewhere (or coming back to it after a reconnect) shows the card.
    if (name.startsWith('part2.') && !from.startsWith('part2.')) {
      this.send({
        type: 'cue_card',
        card: snapshot.context.script.part2.card,
        preparationMs: this.deps.timings.prepMs,
      });
    }
    if (name === 'done') {
      this.send({ type: 'result', assessmentId: this.sessionId, result: snapshot.context.result });
      this.end('completed', 1000);
    } else if (name === 'failed') {
      const failure = snapshot.context.failure;
      this.send({
        type: 'error',
        code: failure?.code ?? 'INTERNAL',
        message: failure?.message ?? 'the test failed',
      });
      // A candidate who chose to leave closed normally; anything else is a failure.
      if (failure?.code === 'ABORTED') this.end('left', 1000);
      else this.end('failed', 1011);
    }
  }

  private sendState(): void {
    const snapshot = this.actor?.getSnapshot();
    if (!snapshot || !this.state) return;
    const left = timeLeft(snapshot.context, this.state, this.deps.clock.now());
    this.send({
      type: 'state',
      state: this.state,
      part: partOf(this.state),
      deadline: left.deadline,
      timeLeftMs: left.timeLeftMs,
      at: this.deps.clock.now(),
    });
  }

  private leave(): void {
    if (!this.actor) throw new AppError('NOT_STARTED', 'the test has not started');
    this.actor.send({
      type: 'ABORT',
      at: this.deps.clock.now(),
      code: 'ABORTED',
      message: 'the candidate left the test',
    });
  }

  private onClose(): void {
    if (this.ended || !this.actor) return;
    this.stream?.listen(false);
    this.log.info('candidate disconnected');
    this.actor.send({ type: 'SUSPEND', at: this.deps.clock.now() });
  }

  private end(outcome: 'completed' | 'failed' | 'left', closeCode: number): void {
    if (this.ended) return;
    this.ended = true;
    this.deps.metrics.sessionsEnded.inc({ outcome });
    if (this.state) this.deps.metrics.liveSessions.dec({ state: this.state });
    this.channel.close(closeCode, outcome);
    void this.stream?.close();
    this.actor?.stop();
    this.deps.onEnded?.(this.sessionId);
  }

  /** Server shutdown: stop everything without waiting for the candidate. */
  async dispose(): Promise<void> {
    if (!this.ended && this.state) this.deps.metrics.liveSessions.dec({ state: this.state });
    this.ended = true;
    this.actor?.stop();
    await this.stream?.close();
    this.channel.close(1001, 'server shutting down');
  }

  private send(message: ServerMessage): void {
    this.channel.send(message);
  }
}
