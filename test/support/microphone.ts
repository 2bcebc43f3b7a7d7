import type { WebSocket } from 'ws';

const BYTES_PER_MS = 32; // PCM16 mono at 16 kHz
const TICK_MS = 10;
const MAX_FRAME_BYTES = 3200;
const TONE_HZ = 220;
/** Loud enough to open a turn (the detector starts at -40 dBFS), far from clipping. */
const TONE_AMPLITUDE = 4000;

export interface MicrophoneOptions {
  /** Audio goes out this many times faster than real time (match the server's TIME_SCALE). */
  fast: number;
  /** Audio time from `listening on` to the answer, and the answer's length. */
  gapMs?: number;
  toneMs?: number;
  /** Stops by itself after this much wall time, whatever the test does. */
  maxWallMs?: number;
}

export interface Microphone {
  /** Streams into another socket from now on (a reconnect), keeping the audio clock. */
  attach(ws: WebSocket): void;
  stop(): void;
  readonly answers: number;
}

/**
 * A candidate's microphone that never stops, as the protocol asks: silence, and a short tone as
 * the answer each time the examiner starts listening. The turn detector hears energy, not words.
 */
export function startMicrophone(ws: WebSocket, options: MicrophoneOptions): Microphone {
  const gapBytes = (options.gapMs ?? 300) * BYTES_PER_MS;
  const toneBytes = (options.toneMs ?? 1500) * BYTES_PER_MS;
  const startedAt = Date.now();
  let socket = ws;
  let sent = 0;
  let toneFrom: number | null = null;
  let answers = 0;

  const onMessage = (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const message = JSON.parse(data.toString()) as { type: string; on?: boolean };
    if (message.type !== 'listening') return;
    toneFrom = message.on ? sent + gapBytes : null;
    if (message.on) answers += 1;
  };

  const frame = (size: number): Buffer => {
    const pcm = Buffer.alloc(size);
    if (toneFrom === null) return pcm;
    for (let i = 0; i < size; i += 2) {
      const at = sent + i - toneFrom;
      if (at < 0 || at >= toneBytes) continue;
      const t = at / 2 / 16_000;
      pcm.writeInt16LE(Math.round(TONE_AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * t)), i);
    }
    return pcm;
  };

  const pump = () => {
    const elapsed = Date.now() - startedAt;
    if (elapsed > (options.maxWallMs ?? 300_000)) return stop();
    const due = Math.floor((elapsed * options.fast * BYTES_PER_MS) / 2) * 2;
    // Audio captured while no socket is open is lost, as with a real microphone.
    if (socket.readyState !== socket.OPEN) {
      sent = due;
      return;
    }
    while (sent < due) {
      const size = Math.min(MAX_FRAME_BYTES, due - sent);
      socket.send(frame(size), { binary: true });
      sent += size;
    }
  };

  const timer = setInterval(pump, TICK_MS);
  const stop = () => {
    clearInterval(timer);
    socket.off('message', onMessage);
  };
  socket.on('message', onMessage);

  return {
    attach(next) {
      socket.off('message', onMessage);
      socket = next;
      // A resumed examiner says `listening` again when it waits; until then, silence.
      toneFrom = null;
      socket.on('message', onMessage);
    },
    stop,
    get answers() {
      return answers;
    },
  };
}
