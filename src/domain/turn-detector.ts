/** Measured from the audio alone; offsets are ms of audio since the detector was (re)set. */
export interface TurnStats {
  /** Where the first voiced window of the onset began. */
  startMs: number;
  /** Where the last voiced window ended, before the end-of-turn silence. */
  endMs: number;
  /** Turn length minus its pauses; gaps shorter than a pause are part of speaking. */
  speechMs: number;
  pauseCount: number;
  pauseMs: number;
  runsMs: number[];
}

export type TurnEvent =
  | { type: 'started'; offsetMs: number }
  | { type: 'ended'; offsetMs: number; stats: TurnStats };

export interface TurnDetectorOptions {
  sampleRate?: number;
  /** Continuous silence that ends a turn. */
  endOfTurnMs?: number;
  /** Loud audio needed before a turn starts, so clicks and bumps do not open one. */
  onsetMs?: number;
  /** Shortest silence inside a turn that counts as a pause. */
  minPauseMs?: number;
  /** Window energy (RMS dBFS) that counts as voice when there was none. */
  startThresholdDb?: number;
  /** Window energy below which voice stops; lower than the start so speech does not flicker. */
  stopThresholdDb?: number;
}

export const WINDOW_MS = 20;

/**
 * Voice-activity turn detection that counts time in samples, never on a clock, because clients
 * may stream faster than real time. It keeps counters only, never the audio.
 */
export class TurnDetector {
  private readonly windowSamples: number;
  private readonly onsetWindows: number;
  private readonly pauseWindows: number;
  private readonly endWindows: number;
  private readonly startThresholdDb: number;
  private readonly stopThresholdDb: number;

  private pendingByte: number | undefined;
  private sumSquares = 0;
  private samplesInWindow = 0;
  private windows = 0;

  private voiced = false;
  private onsetRun = 0;
  private turn: { startMs: number; runStartMs: number; runs: number[]; pauseMs: number } | null =
    null;
  private silenceRun = 0;
  private silenceStartMs = 0;

  constructor(options: TurnDetectorOptions = {}) {
    const sampleRate = options.sampleRate ?? 16_000;
    this.windowSamples = (sampleRate * WINDOW_MS) / 1000;
    if (!Number.isInteger(this.windowSamples) || this.windowSamples < 1) {
      throw new RangeError('sampleRate must give a whole number of samples per 20 ms');
    }
    const windowsFor = (ms: number) => Math.max(1, Math.ceil(ms / WINDOW_MS));
    this.onsetWindows = windowsFor(options.onsetMs ?? 100);
    this.pauseWindows = windowsFor(options.minPauseMs ?? 250);
    this.endWindows = windowsFor(options.endOfTurnMs ?? 2000);
    this.startThresholdDb = options.startThresholdDb ?? -40;
    this.stopThresholdDb = options.stopThresholdDb ?? -46;
    if (this.stopThresholdDb > this.startThresholdDb) {
      throw new RangeError('stopThresholdDb must not exceed startThresholdDb');
    }
  }

  get inTurn(): boolean {
    return this.turn !== null;
  }

  /** Audio consumed so far, in whole windows. */
  get offsetMs(): number {
    return this.windows * WINDOW_MS;
  }

  /** Feeds PCM16LE mono audio of any length; partial samples and windows carry over. */
  push(pcm: Buffer): TurnEvent[] {
    const events: TurnEvent[] = [];
    let index = 0;
    if (this.pendingByte !== undefined && pcm.length > 0) {
      const sample = ((pcm[0] as number) << 8) | this.pendingByte;
      this.addSample(sample > 0x7fff ? sample - 0x10000 : sample, events);
      this.pendingByte = undefined;
      index = 1;
    }
    for (; index + 1 < pcm.length; index += 2) this.addSample(pcm.readInt16LE(index), events);
    if (index < pcm.length) this.pendingByte = pcm[index];
    return events;
  }

  /** Forgets everything, including a turn in progress, and restarts the offsets at zero. */
  reset(): void {
    this.pendingByte = undefined;
    this.sumSquares = 0;
    this.samplesInWindow = 0;
    this.windows = 0;
    this.voiced = false;
    this.onsetRun = 0;
    this.turn = null;
    this.silenceRun = 0;
  }

  private addSample(sample: number, events: TurnEvent[]): void {
    this.sumSquares += sample * sample;
    this.samplesInWindow += 1;
    if (this.samplesInWindow < this.windowSamples) return;
    const rms = Math.sqrt(this.sumSquares / this.samplesInWindow);
    this.sumSquares = 0;
    this.samplesInWindow = 0;
    const level = rms > 0 ? 20 * Math.log10(rms / 32768) : Number.NEGATIVE_INFINITY;
    const startMs = this.windows * WINDOW_MS;
    this.windows += 1;
    if (this.turn) this.inTurnWindow(level, startMs, events);
    else this.idleWindow(level, startMs, events);
  }

  private idleWindow(level: number, startMs: number, events: TurnEvent[]): void {
    if (level < this.startThresholdDb) {
      this.onsetRun = 0;
      return;
    }
    this.onsetRun += 1;
    if (this.onsetRun < this.onsetWindows) return;
    const onsetMs = startMs - (this.onsetRun - 1) * WINDOW_MS;
    this.turn = { startMs: onsetMs, runStartMs: onsetMs, runs: [], pauseMs: 0 };
    this.voiced = true;
    this.onsetRun = 0;
    this.silenceRun = 0;
    events.push({ type: 'started', offsetMs: onsetMs });
  }

  private inTurnWindow(level: number, startMs: number, events: TurnEvent[]): void {
    const turn = this.turn;
    if (!turn) return;
    this.voiced = level >= (this.voiced ? this.stopThresholdDb : this.startThresholdDb);

    if (this.voiced) {
      if (this.silenceRun >= this.pauseWindows) {
        turn.runs.push(this.silenceStartMs - turn.runStartMs);
        turn.pauseMs += this.silenceRun * WINDOW_MS;
        turn.runStartMs = startMs;
      }
      this.silenceRun = 0;
      return;
    }

    if (this.silenceRun === 0) this.silenceStartMs = startMs;
    this.silenceRun += 1;
    if (this.silenceRun < this.endWindows) return;

    turn.runs.push(this.silenceStartMs - turn.runStartMs);
    const stats: TurnStats = {
      startMs: turn.startMs,
      endMs: this.silenceStartMs,
      speechMs: turn.runs.reduce((sum, run) => sum + run, 0),
      pauseCount: turn.runs.length - 1,
      pauseMs: turn.pauseMs,
      runsMs: turn.runs,
    };
    this.turn = null;
    this.voiced = false;
    this.silenceRun = 0;
    events.push({ type: 'ended', offsetMs: startMs + WINDOW_MS, stats });
  }
}
