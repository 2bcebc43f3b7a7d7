/** The public surface of the local Bedrock server; tests and benchmarks code against these. */

export interface LocalBedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LocalBedrockOptions {
  /** 0 picks a free port; the host is always 127.0.0.1. */
  port?: number;
  credentials?: LocalBedrockCredentials;
  region?: string;
  /** Stream age at which `modelTimeoutException` ends it, like Bedrock's ~8 minute limit. */
  maxStreamMs?: number;
  /** Time with no input event at all before `validationException` ends the stream. */
  inputTimeoutMs?: number;
  /** Time with no user speech energy before `validationException` (InternalErrorCode=531). */
  userSilenceMs?: number;
  /** Open bidirectional streams allowed at once; past it requests get HTTP 429. */
  maxConcurrentStreams?: number;
  /** The USER ASR FINAL text for each detected user turn. */
  transcript?: (turn: { streamId: number; turnIndex: number; speechMs: number }) => string;
  /** Makes the model answer user speech with an unsolicited "I see." that adapters must ignore. */
  replyToSpeech?: boolean;
  /** How many times faster than real time audio output is sent. */
  audioPacing?: number;
  /** Writes a send-time stamp into every audioOutput chunk (see audio-stamp.ts). */
  stampAudio?: boolean;
}

export interface StreamRecord {
  /** 1-based, in the order requests arrived, refused ones included. */
  id: number;
  modelId: string;
  /** Input events as received; audioInput bodies keep a byte count instead of the audio. */
  events: Array<{ name: string; body: unknown }>;
  /** Every error the server answered with, as `<type>: <message>`. */
  errors: string[];
  signatureFailures: number;
  closedBy?: 'client' | 'server' | 'fault';
}

export type ExceptionType =
  | 'modelStreamErrorException'
  | 'throttlingException'
  | 'validationException'
  | 'internalServerException'
  | 'modelTimeoutException'
  | 'serviceUnavailableException';

export type Fault =
  | { kind: 'exception'; type: ExceptionType; message?: string; afterMs?: number }
  | { kind: 'error-frame'; code: string; message: string; afterMs?: number }
  | { kind: 'rst'; afterMs?: number }
  | { kind: 'stall'; afterMs?: number }
  | { kind: 'http'; status: number; errorType: string; message?: string };

export type StreamFault = Exclude<Fault, { kind: 'http' }>;
export type HttpFault = Extract<Fault, { kind: 'http' }>;

export interface LocalBedrock {
  /** 'http://127.0.0.1:PORT' */
  endpoint: string;
  port: number;
  credentials: LocalBedrockCredentials;
  region: string;
  streams: StreamRecord[];
  /**
   * An http fault refuses the next request. Any other fault arms the next stream opened: `afterMs`
   * after it opens, or right after its first output event when `afterMs` is 0 or absent.
   */
  injectNext(fault: Fault): void;
  /** Applies a stream fault to every open stream, `afterMs` from now. */
  injectLive(fault: Fault): void;
  close(): Promise<void>;
}

export type ResolvedOptions = Required<Omit<LocalBedrockOptions, 'port'>> & { port: number };

export const DEFAULT_CREDENTIALS: LocalBedrockCredentials = {
  accessKeyId: 'local',
  secretAccessKey: 'local-secret',
};

export function resolveOptions(options: LocalBedrockOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    credentials: options.credentials ?? DEFAULT_CREDENTIALS,
    region: options.region ?? 'us-east-1',
    maxStreamMs: options.maxStreamMs ?? 480_000,
    inputTimeoutMs: options.inputTimeoutMs ?? 10_000,
    userSilenceMs: options.userSilenceMs ?? 175_000,
    maxConcurrentStreams: options.maxConcurrentStreams ?? Number.POSITIVE_INFINITY,
    transcript: options.transcript ?? (() => '[speech]'),
    replyToSpeech: options.replyToSpeech ?? false,
    audioPacing: options.audioPacing ?? 4,
    stampAudio: options.stampAudio ?? false,
  };
  if (!(resolved.audioPacing > 0)) throw new RangeError('audioPacing must be positive');
  return resolved;
}
