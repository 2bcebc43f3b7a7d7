import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { type Actor, createActor, type InspectionEvent, type Snapshot } from 'xstate';
import {
  type ExaminerScript,
  type Line,
  MACHINE_VERSION,
  type PartName,
  type PublicStateName,
  partOf,
  publicStateName,
  statePath,
  type Timings,
  timeLeft,
} from '../../../machines/examiner/index.ts';
import type { Clock } from '../../domain/clock.ts';
import type { AssessmentStore } from '../../domain/ports/assessment-store.ts';
import type {
  Checkpoint,
  CheckpointData,
  CheckpointStore,
} from '../../domain/ports/checkpoint-store.ts';
import type { Scorer, SpeakingResult } from '../../domain/ports/scorer.ts';
import type { SpeechEngine, SpeechStream } from '../../domain/ports/speech-engine.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ExaminerMetrics } from '../metrics.ts';
import { type ClientMessage, PROTOCOL_VERSION, type ServerMessage } from '../protocol/messages.ts';
import { likelyNextLines } from './build-script.ts';
import { CandidateChannel } from './candidate-channel.ts';
import { Checkpointer } from './checkpointer.ts';
import { type ProvidedExaminer, provideExaminer } from './examiner-actor.ts';
import { speechHandlers } from './speech-handlers.ts';
import { TurnLog } from './turn-log.ts';

export interface LiveSessionDeps {
  clock: Clock;
  engine: SpeechEngine;
  scorer: Scorer;
  store: AssessmentStore;
  checkpoints: CheckpointStore;
  nodeId: string;
  leaseTtlMs: number;
  /** How long an ended test's keys stay in Redis. */
  endedTtlMs: number;
  metrics: ExaminerMetrics;
  logger: Logger;
  timings: Timings;
  maxTextFrameBytes: number;
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /** The test left this node: it ended, was handed over, or another node took it. */
  onGone?: (sessionId: string) => void;
}

export interface LiveSessionInfo {
  sessionId: string;
  candidateId: string;
  script: ExaminerScript;
}

const LISTENING = /(listening|answering|talking)$/;

/** A line's id starts with its part; the actor's state may not have caught up when it is said. */
function partOfLine(line: Line): PartName | 'closing' {
  const part = line.id.split('.')[0];
  return part === 'intro' || part === 'part1' || part === 'part2' || part === 'part3'
    ? part
    : 'closing';
}

/**
 * One speaking test on this node: one examiner actor, one candidate socket, one speech stream,
 * one lease. Every change is checkpointed so another node can carry on after a crash.
 */
export class LiveSession {
  readonly sessionId: string;
  private readonly channel: CandidateChannel;
  private readonly checkpointer: Checkpointer;
  private actor: Actor<ProvidedExaminer> | null = null;
  private stream: SpeechStream | null = null;
  private readonly turns: TurnLog;
  private readonly log: Logger;
  private state: PublicStateName | null = null;
  private path = '';
  private ended = false;
  private gone = false;
  private startRequested = false;
  private restoring: Checkpoint | null;
  private listening = false;
  /** Set while this node admits a socket for the test, so it is not handed away meanwhile. */
  admitting = false;
  private readonly nextLine: Map<string, string>;

  constructor(
    private readonly deps: LiveSessionDeps,
    private readonly info: LiveSessionInfo,
    ownership: { fence: number; checkpoint: Checkpoint | null },
  ) {
    this.sessionId = info.sessionId;
    this.nextLine = likelyNextLines(info.script);
    this.log = deps.logger.child({ sessionId: info.sessionId });
    this.channel = new CandidateChannel({
      maxFrameBytes: deps.maxTextFrameBytes,
      metrics: deps.metrics,
      log: this.log,
    });
    this.turns = new TurnLog(ownership.checkpoint?.transcript ?? []);
    this.restoring = ownership.checkpoint;
    this.startRequested = ownership.checkpoint !== null;
    this.checkpointer = new Checkpointer({
      store: deps.checkpoints,
      sessionId: info.sessionId,
      nodeId: deps.nodeId,
      fence: ownership.fence,
      leaseTtlMs: deps.leaseTtlMs,
      metrics: deps.metrics,
      log: this.log,
      onLost: () => this.evict(),
      onHandoffRequested: () => this.handOff(),
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

  /** Wires a socket; `early` holds frames that arrived while the node was admitting it. */
  attach(
    socket: WebSocket,
    options: { resumeTicket: string; early?: Array<{ data: Buffer; isBinary: boolean }> },
  ): void {
    this.channel.attach(socket, {
      message: (message) => this.onMessage(message),
      audio: (pcm) => this.onAudio(pcm),
      closed: () => this.onClose(),
    });
    const suspended = this.actor?.getSnapshot().value === 'suspended';
    const resumed = suspended || this.restoring !== null;
    this.send({
      type: 'ready',
      protocol: PROTOCOL_VERSION,
      sessionId: this.sessionId,
      resumed,
      resumeTicket: options.resumeTicket,
    });
    if (this.restoring) void this.restore(this.restoring);
    else if (suspended && this.actor) {
      this.deps.metrics.resumes.inc({ from: 'suspended', outcome: 'resumed' });
      this.log.info('candidate reconnected');
      this.actor.send({ type: 'RESUME', at: this.deps.clock.now() });
    } else if (this.actor) this.sendState();
    for (const frame of options.early ?? []) this.channel.replay(frame.data, frame.isBinary);
  }

  private onMessage(message: ClientMessage): void {
    if (message.type === 'start') this.requestStart(message.protocol);
    else if (message.type === 'ping') {
      this.send({ type: 'pong', ...(message.id ? { id: message.id } : {}) });
    } else if (message.type === 'leave') this.leave();
  }

  private onAudio(pcm: Buffer): void {
    if (pcm.length % 2 !== 0) {
      throw new AppError('AUDIO_ODD_BYTES', 'audio frames are PCM16: an even number of bytes');
    }
    // While a resumed test is being restored the microphone is already live: drop, don't refuse.
    if (this.restoring) return;
    if (!this.stream || !this.actor) {
      throw new AppError('AUDIO_BEFORE_START', 'send {"type":"start"} before audio');
    }
    this.stream.pushAudio(pcm);
  }

  private requestStart(protocol: number | undefined): void {
    if (protocol !== undefined && protocol !== PROTOCOL_VERSION) {
      throw new AppError('PROTOCOL_UNSUPPORTED', `this server speaks protocol ${PROTOCOL_VERSION}`);
    }
    if (this.startRequested) throw new AppError('ALREADY_STARTED', 'the test has already started');
    this.startRequested = true;
    void this.run(null);
  }

  private async restore(checkpoint: Checkpoint): Promise<void> {
    await this.run(checkpoint);
    const actor = this.actor;
    if (!actor) {
      this.restoring = null;
      return;
    }
    const now = this.deps.clock.now();
    // A node that died left the test running: freeze its clocks from the owner's last sign of
    // life, so the candidate loses at most a lease renewal of preparation or speaking time.
    if (actor.getSnapshot().value !== 'suspended') {
      // The newer of the last heartbeat and the last write: a drained node wrote after it beat.
      const lastSign = Math.max(checkpoint.aliveAt, checkpoint.updatedAt);
      const at = this.deps.clock.fromWall?.(lastSign) ?? lastSign;
      actor.send({ type: 'SUSPEND', at: Math.min(now, at) });
    }
    // Until here the restored actor only replayed where it was; the candidate hears from the
    // RESUME on, as after any reconnect.
    this.restoring = null;
    this.deps.metrics.resumes.inc({ from: 'checkpoint', outcome: 'resumed' });
    this.log.info({ seq: checkpoint.seq }, 'test restored from checkpoint');
    if (this.channel.attached) actor.send({ type: 'RESUME', at: now });
  }

  private async run(checkpoint: Checkpoint | null): Promise<void> {
    const { clock, engine, metrics } = this.deps;
    const handlers = speechHandlers({
      engineName: engine.name,
      turns: this.turns,
      metrics,
      log: this.log,
      now: () => clock.now(),
      currentPart: () => partOf(this.state ?? 'intro') ?? 'part3',
      toActor: (event) => this.actor?.send(event),
      toClient: (message) => this.send(message),
      examinerAudio: (pcm) => {
        if (!this.channel.sendAudio(pcm)) this.log.warn('client too slow for examiner audio');
      },
      clearClientAudio: () => this.channel.clearAudio(),
      changed: () => this.checkpoint(),
      durable: () => this.checkpointer.saved(),
    });
    try {
      this.stream = await engine.open({
        sessionId: this.sessionId,
        clock,
        handlers,
        history: this.turns.history(),
        firstTurnId: this.turns.lastTurnId + 1,
      });
    } catch (error) {
      metrics.engineErrors.inc({ engine: engine.name, error: 'open' });
      this.log.error({ err: error }, 'speech stream failed to open');
      // Nothing started: the candidate may send start again.
      this.startRequested = checkpoint !== null;
      this.channel.refuse(new AppError('ENGINE_FAILED', 'the speech engine is unavailable'));
      return;
    }
    metrics.engineStreams.inc({ engine: engine.name, reason: checkpoint ? 'resume' : 'start' });
    if (!checkpoint) metrics.sessionsStarted.inc();
    const machine = provideExaminer({
      clock,
      speakLine: (line, signal) => this.speak(line, signal),
      scoreTest: () => this.score(),
    });
    const inspect = this.deps.inspect ? { inspect: this.deps.inspect } : {};
    this.actor = checkpoint
      ? createActor(machine, {
          snapshot: checkpoint.snapshot as Snapshot<unknown> as never,
          input: undefined as never,
          ...inspect,
        })
      : createActor(machine, {
          input: {
            sessionId: this.sessionId,
            script: this.info.script,
            timings: this.deps.timings,
            at: clock.now(),
          },
          ...inspect,
        });
    this.actor.subscribe({
      next: () => this.onSnapshot(),
      error: (error) => this.log.error({ err: error }, 'examiner actor failed'),
    });
    this.actor.start();
    if (!checkpoint) void this.deps.checkpoints.setStatus(this.sessionId, 'live').catch(() => {});
    // The candidate left while the engine was opening: the test waits for them, suspended.
    if (!this.channel.attached && this.actor.getSnapshot().value !== 'suspended') {
      this.actor.send({ type: 'SUSPEND', at: clock.now() });
    }
  }

  private async speak(line: Line, signal: AbortSignal): Promise<void> {
    if (this.restoring) {
      // The restored actor re-invokes the line it was saying, then suspends at once; the line is
      // said after the resume. Saying it now too would voice it twice, in parallel.
      return new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    this.send({ type: 'caption', speaker: 'examiner', lineId: line.id, text: line.text });
    this.turns.addLine(partOfLine(line), this.deps.clock.now(), line.text);
    this.checkpoint();
    const said = this.stream?.say(line.text, signal);
    const next = this.nextLine.get(line.id);
    if (next) this.stream?.prefetch?.(next);
    await said;
  }

  /** Idempotent: a restored actor may score again; the store keeps the first result. */
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

  private checkpointData(): CheckpointData {
    return {
      machineVersion: MACHINE_VERSION,
      snapshot: this.actor?.getPersistedSnapshot() ?? null,
      transcript: this.turns.entries,
    };
  }

  private checkpoint(): void {
    if (this.actor && !this.restoring) this.checkpointer.save(() => this.checkpointData());
  }

  private onSnapshot(): void {
    const actor = this.actor;
    if (!actor) return;
    this.checkpoint();
    const snapshot = actor.getSnapshot();
    const path = statePath(snapshot);
    const name = publicStateName(snapshot);
    // A restore replays where the test was, then suspends: the candidate sees none of it.
    const quiet = this.restoring !== null || name === 'suspended';
    if (path !== this.path) {
      this.path = path;
      const listening = LISTENING.test(path);
      if (listening !== this.listening) {
        this.listening = listening;
        this.stream?.listen(listening);
        if (!quiet) this.send({ type: 'listening', on: listening });
      }
    }
    if (name === this.state) return;
    const from = this.state ?? 'none';
    const { metrics } = this.deps;
    if (this.state) metrics.liveSessions.dec({ state: this.state });
    metrics.liveSessions.inc({ state: name });
    metrics.transitions.inc({ from, to: name });
    if (partOf(name) !== partOf(from as PublicStateName)) this.stream?.boundary?.();
    this.state = name;
    this.log.info({ from, to: name }, 'examiner state changed');
    if (!quiet) this.sendState();
    // Entering Part 2 from elsewhere (or coming back to it after a reconnect) shows the card.
    if (!quiet && name.startsWith('part2.') && !from.startsWith('part2.')) {
      const card = snapshot.context.script.part2.card;
      this.send({ type: 'cue_card', card, preparationMs: this.deps.timings.prepMs });
    }
    if (name === 'done') {
      this.send({ type: 'result', assessmentId: this.sessionId, result: snapshot.context.result });
      void this.end('completed', 1000);
    } else if (name === 'failed') {
      const failure = snapshot.context.failure;
      const code = failure?.code ?? 'INTERNAL';
      this.send({ type: 'error', code, message: failure?.message ?? 'the test failed' });
      // A candidate who chose to leave closed normally; anything else is a failure.
      void this.end(code === 'ABORTED' ? 'left' : 'failed', code === 'ABORTED' ? 1000 : 1011);
    }
  }

  private sendState(): void {
    const snapshot = this.actor?.getSnapshot();
    if (!snapshot || !this.state) return;
    const now = this.deps.clock.now();
    const left = timeLeft(snapshot.context, this.state, now);
    const part = partOf(this.state);
    this.send({ type: 'state', state: this.state, part, ...left, at: now });
  }

  private leave(): void {
    if (!this.actor) throw new AppError('NOT_STARTED', 'the test has not started');
    const at = this.deps.clock.now();
    this.actor.send({ type: 'ABORT', at, code: 'ABORTED', message: 'the candidate left the test' });
  }

  private onClose(): void {
    if (this.ended || !this.actor || this.gone) return;
    this.stream?.listen(false);
    this.log.info('candidate disconnected');
    this.actor.send({ type: 'SUSPEND', at: this.deps.clock.now() });
  }

  private async end(outcome: 'completed' | 'failed' | 'left', closeCode: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const { metrics, checkpoints, endedTtlMs } = this.deps;
    metrics.sessionsEnded.inc({ outcome });
    if (this.state) metrics.liveSessions.dec({ state: this.state });
    this.channel.close(closeCode, outcome);
    await this.stream?.close();
    await this.checkpointer.release(() => this.checkpointData());
    this.actor?.stop();
    await checkpoints.setStatus(this.sessionId, 'ended').catch(() => {});
    await checkpoints.expireSession(this.sessionId, endedTtlMs).catch(() => {});
    this.leaveNode();
  }

  /** Another node owns the test now: stop talking to the candidate and the model at once. */
  private evict(): void {
    if (this.gone) return;
    this.send({ type: 'error', code: 'SESSION_MOVED', message: 'the test continues elsewhere' });
    this.channel.close(4409, 'SESSION_MOVED');
    void this.stop();
  }

  /** Hands a test whose candidate is gone to the node they reconnected to. */
  private handOff(): boolean {
    if (this.channel.attached || this.ended || this.gone || this.restoring || this.admitting) {
      return false;
    }
    void this.checkpointer.release(() => this.checkpointData()).then(() => this.stop());
    return true;
  }

  /**
   * Server shutdown: the newest state written, the candidate told to reconnect (to any node), the
   * lease given up so that node can take the test at once.
   */
  async drain(): Promise<void> {
    if (this.ended || this.gone) return;
    this.send({ type: 'reconnect', reason: 'server shutting down' });
    if (this.actor) await this.checkpointer.release(() => this.checkpointData());
    else this.checkpointer.stop();
    this.channel.close(1001, 'server shutting down');
    await this.stop();
  }

  private async stop(): Promise<void> {
    this.checkpointer.stop();
    if (this.state && !this.ended) this.deps.metrics.liveSessions.dec({ state: this.state });
    this.ended = true;
    this.actor?.stop();
    await this.stream?.close();
    this.leaveNode();
  }

  private leaveNode(): void {
    if (this.gone) return;
    this.gone = true;
    this.deps.onGone?.(this.sessionId);
  }

  private send(message: ServerMessage): void {
    this.channel.send(message);
  }
}
