import type { Clock } from '../clock.ts';

/** One candidate turn as the engine measured it from the audio (times are clock ms). */
export interface CandidateTurn {
  turnId: number;
  startedAt: number;
  endedAt: number;
  /** Audio time with voice in it. */
  speechMs: number;
  /** Silences inside the turn that were long enough to count as pauses (>= 250 ms). */
  pauseCount: number;
  pauseMs: number;
  /** Length of each stretch of speech between pauses, in ms (mean length of run comes from it). */
  runsMs: number[];
}

export interface TranscriptResult {
  turnId: number;
  /** `unavailable`: no recogniser here; the text is then null and never invented. */
  status: 'final' | 'unavailable';
  text: string | null;
  recogniser: string | null;
  speechMs: number;
}

/** What a speech stream reports back. Handlers must not throw. */
export interface SpeechStreamHandlers {
  /** PCM16LE mono 24 kHz examiner audio, in order. */
  examinerAudio(pcm24k: Buffer): void;
  candidateStarted(at: number): void;
  candidateStopped(turn: CandidateTurn): void;
  transcript(result: TranscriptResult): void;
  /**
   * The candidate spoke over the examiner, or the examiner's line was cut off: examiner audio
   * already queued at the client must be dropped.
   */
  examinerAudioCleared?(): void;
  /** The stream failed and is unusable. */
  error(error: Error): void;
}

export interface SpeechStream {
  /** PCM16LE mono 16 kHz candidate audio; any even byte length. Never blocks. */
  pushAudio(pcm16k: Buffer): void;
  /**
   * Voices one examiner line. Resolves when the candidate has heard it (the line's audio length
   * of clock time after its first byte); rejects with an AbortError when `signal` aborts.
   */
  say(text: string, signal?: AbortSignal): Promise<{ durationMs: number }>;
  /**
   * A hint that `text` is probably the next line, so an engine that synthesises locally can
   * prepare it while the current line plays. Engines may ignore it.
   */
  prefetch?(text: string): void;
  /** A part boundary: an engine with long-lived model streams may start a fresh one here. */
  boundary?(): void;
  /** Candidate turns are detected only while listening; turning it off ends no turn silently. */
  listen(on: boolean): void;
  close(): Promise<void>;
}

export interface SpeechEngineOpenOptions {
  sessionId: string;
  clock: Clock;
  handlers: SpeechStreamHandlers;
  /** The conversation so far, when a test resumes; an engine with model context uses it. */
  history?: Array<{ role: 'USER' | 'ASSISTANT'; text: string }>;
  /** Candidate turn ids continue from here after a resume. */
  firstTurnId?: number;
}

/** The SpeechEngine port: the offline engine locally, Nova Sonic in production. */
export interface SpeechEngine {
  readonly name: string;
  open(options: SpeechEngineOpenOptions): Promise<SpeechStream>;
}
