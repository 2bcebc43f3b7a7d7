import WebSocket from 'ws';
import { readAudioStamp } from '../../test/support/bedrock-local/audio-stamp.ts';

const BYTES_PER_MS = 32; // PCM16 mono at 16 kHz
const TICK_MS = 10;
/** Frames a late tick may send at once; more than this and the client skips ahead instead. */
const MAX_CATCH_UP = 8;
const ANSWER_GAP_MS = 300;
const MAX_SAMPLES = 5_000_000;

type Message = { type: string; [key: string]: unknown };

interface Candidate {
  index: number;
  frameMs: number;
  silence: Buffer;
  socket: WebSocket | null;
  ready: boolean;
  state: boolean;
  settled: boolean;
  streamStartedAt: number;
  framesSent: number;
  answerAtFrame: number | null;
  speechOffset: number | null;
}

export interface FleetOptions {
  baseUrl: string;
  sessions: number;
  rampMs: number;
  /** 16 kHz PCM16 said once per `listening` cue, shared by every candidate. */
  speech: Buffer;
}

/**
 * N candidates on real WebSockets, driven by one shared timer: each streams its microphone in
 * real time (silence, or `speech` when the examiner listens) and timestamps examiner audio.
 */
export class Fleet {
  readonly errorKinds = new Map<string, number>();
  readonly latencies: number[] = [];
  framesReceived = 0;
  unstampedFrames = 0;
  pacingSkips = 0;
  private measuring = false;
  private closing = false;
  private readonly candidates: Candidate[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: FleetOptions) {
    for (let index = 0; index < options.sessions; index += 1) {
      // 20, 24, … 40 ms: different clients, different frame sizes, as real browsers do.
      const frameMs = 20 + (index % 6) * 4;
      this.candidates.push({
        index,
        frameMs,
        silence: Buffer.alloc(frameMs * BYTES_PER_MS),
        socket: null,
        ready: false,
        state: false,
        settled: false,
        streamStartedAt: 0,
        framesSent: 0,
        answerAtFrame: null,
        speechOffset: null,
      });
    }
  }

  get errors(): number {
    let total = 0;
    for (const count of this.errorKinds.values()) total += count;
    return total;
  }

  get connected(): number {
    return this.candidates.filter((c) => c.state).length;
  }

  /** Opens every candidate over `rampMs`; resolves once each has its first `state` or gave up. */
  async connect(timeoutMs: number): Promise<void> {
    this.timer = setInterval(() => this.pump(), TICK_MS);
    const { sessions, rampMs } = this.options;
    for (const candidate of this.candidates) {
      const delay = sessions > 1 ? (candidate.index * rampMs) / (sessions - 1) : 0;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.open(candidate);
      }, delay);
      this.timers.add(timer);
    }
    const deadline = performance.now() + rampMs + timeoutMs;
    while (performance.now() < deadline && this.candidates.some((c) => !c.settled)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const candidate of this.candidates) {
      if (candidate.settled) continue;
      candidate.settled = true;
      this.recordError(candidate.ready ? 'no_state' : 'no_ready');
    }
  }

  /** Stamped frames count towards the latency figures only while measuring. */
  measure(on: boolean): void {
    this.measuring = on;
  }

  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    this.measuring = false;
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.timers) clearTimeout(timer);
    const sockets = this.candidates.flatMap((c) => (c.socket ? [c.socket] : []));
    const closed = sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000, 'bench over');
        }),
    );
    const timer = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs));
    await Promise.race([Promise.all(closed), timer]);
    for (const socket of sockets) socket.terminate();
  }

  recordError(kind: string): void {
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }

  private async open(candidate: Candidate): Promise<void> {
    if (this.closing) return;
    let streamPath: string;
    try {
      const created = await fetch(`${this.options.baseUrl}/v1/speaking/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ candidateId: `bench-${candidate.index}` }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await created.json()) as { streamPath?: string };
      if (created.status !== 201 || !body.streamPath) throw new Error(`http_${created.status}`);
      streamPath = body.streamPath;
    } catch (error) {
      candidate.settled = true;
      this.recordError(`create:${(error as Error).message}`);
      return;
    }
    if (this.closing) return;
    const socket = new WebSocket(`${this.options.baseUrl.replace(/^http/, 'ws')}${streamPath}`, {
      perMessageDeflate: false,
    });
    candidate.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.onAudio(data as Buffer);
      let message: Message;
      try {
        message = JSON.parse(String(data)) as Message;
      } catch {
        return this.recordError('bad_message');
      }
      this.onMessage(candidate, message);
    });
    socket.on('error', (error) => {
      if (this.closing) return;
      this.recordError(`ws_error:${(error as { code?: string }).code ?? error.message}`);
    });
    socket.on('close', (code) => {
      candidate.settled = true;
      if (!this.closing) this.recordError(`close:${code}`);
    });
  }

  private onAudio(data: Buffer): void {
    if (!this.measuring) return;
    const stamp = readAudioStamp(data);
    if (stamp === undefined) {
      this.unstampedFrames += 1;
      return;
    }
    this.framesReceived += 1;
    if (this.latencies.length < MAX_SAMPLES) {
      this.latencies.push(performance.timeOrigin + performance.now() - stamp);
    }
  }

  private onMessage(candidate: Candidate, message: Message): void {
    switch (message.type) {
      case 'ready':
        candidate.ready = true;
        candidate.socket?.send(JSON.stringify({ type: 'start' }));
        break;
      case 'state':
        if (!candidate.state) {
          // Audio before the first `state` is refused, so the microphone opens here.
          candidate.state = true;
          candidate.settled = true;
          candidate.streamStartedAt = performance.now();
        }
        break;
      case 'listening':
        if (message.on) {
          candidate.answerAtFrame =
            candidate.framesSent + Math.ceil(ANSWER_GAP_MS / candidate.frameMs);
        } else {
          candidate.answerAtFrame = null;
          candidate.speechOffset = null;
        }
        break;
      case 'error':
        this.recordError(`message:${String(message.code)}`);
        break;
    }
  }

  /** The one timer loop: every streaming candidate sends the frames real time says are due. */
  private pump(): void {
    const now = performance.now();
    for (const candidate of this.candidates) {
      const socket = candidate.socket;
      if (!candidate.state || !socket || socket.readyState !== WebSocket.OPEN) continue;
      const due = Math.floor((now - candidate.streamStartedAt) / candidate.frameMs);
      if (due - candidate.framesSent > MAX_CATCH_UP) {
        this.pacingSkips += 1;
        candidate.framesSent = due - MAX_CATCH_UP;
      }
      while (candidate.framesSent < due) {
        socket.send(this.nextFrame(candidate), { binary: true });
        candidate.framesSent += 1;
      }
    }
  }

  private nextFrame(candidate: Candidate): Buffer {
    if (candidate.answerAtFrame !== null && candidate.framesSent >= candidate.answerAtFrame) {
      candidate.answerAtFrame = null;
      candidate.speechOffset = 0;
    }
    if (candidate.speechOffset === null) return candidate.silence;
    const speech = this.options.speech;
    const start = candidate.speechOffset;
    const end = start + candidate.silence.length;
    candidate.speechOffset = end >= speech.length ? null : end;
    if (end <= speech.length) return speech.subarray(start, end);
    const frame = Buffer.alloc(candidate.silence.length);
    speech.copy(frame, 0, start);
    return frame;
  }
}
