import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import type {
  SpeechEngine,
  SpeechEngineOpenOptions,
  SpeechStream,
} from '../../../domain/ports/speech-engine.ts';
import { type Logger, silentLogger } from '../../../log.ts';
import type { SessionSettings } from './events.ts';

export { NOVA_2_VOICES } from './voices.ts';

import { type NovaSonicObserver, NovaSonicStream } from './nova-sonic-stream.ts';

/** The examiner persona. Our own words; the lines themselves come from the statechart. */
export const EXAMINER_SYSTEM_PROMPT =
  'You are the examiner in an IELTS speaking test, a calm and neutral British examiner. ' +
  'Every text message you receive is the next line of the examiner script. Say that line ' +
  'aloud exactly as written, in a natural, unhurried voice, and then stop. Never add words, ' +
  'never comment on or praise the candidate, never teach or correct, and never answer the ' +
  'candidate yourself: when the candidate speaks, listen and stay silent.';

export interface NovaSonicEngineOptions {
  region: string;
  modelId: string;
  voiceId: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  endpointingSensitivity?: SessionSettings['endpointingSensitivity'];
  rotateAfterMs?: number;
  endOfTurnMs?: number;
  transcriptWaitMs?: number;
  lineTimeoutMs?: number;
  backoffMs?: number[];
  observer?: Partial<NovaSonicObserver>;
  logger?: Logger;
}

/** The production SpeechEngine: Amazon Nova Sonic through Bedrock's bidirectional stream. */
export class NovaSonicEngine implements SpeechEngine {
  readonly name = 'nova-sonic';
  readonly client: BedrockRuntimeClient;

  constructor(private readonly options: NovaSonicEngineOptions) {
    this.client = new BedrockRuntimeClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Every event stream gets its own HTTP/2 connection; the timeouts only end idle ones.
      requestHandler: new NodeHttp2Handler({ requestTimeout: 60_000, sessionTimeout: 600_000 }),
    });
  }

  /** Fails fast at start-up when no credentials can be found, rather than at the first test. */
  async checkCredentials(): Promise<void> {
    await this.client.config.credentials();
  }

  async open({
    sessionId,
    clock,
    handlers,
    history,
    firstTurnId,
  }: SpeechEngineOpenOptions): Promise<SpeechStream> {
    const o = this.options;
    const logger = (o.logger ?? silentLogger).child({ component: 'nova-sonic', sessionId });
    return new NovaSonicStream(clock, handlers, {
      client: this.client,
      modelId: o.modelId,
      settings: {
        voiceId: o.voiceId,
        maxTokens: 1024,
        topP: 0.9,
        temperature: 0.7,
        endpointingSensitivity: o.endpointingSensitivity ?? 'LOW',
      },
      systemPrompt: EXAMINER_SYSTEM_PROMPT,
      history: history ?? [],
      firstTurnId: firstTurnId ?? 1,
      rotateAfterMs: o.rotateAfterMs ?? 360_000,
      endOfTurnMs: o.endOfTurnMs ?? 2000,
      transcriptWaitMs: o.transcriptWaitMs ?? 3000,
      lineTimeoutMs: o.lineTimeoutMs ?? 10_000,
      backoffMs: o.backoffMs ?? [250, 500, 1000, 2000, 4000],
      observer: {
        streamOpened: o.observer?.streamOpened ?? (() => {}),
        streamFailed: o.observer?.streamFailed ?? (() => {}),
      },
      logger,
    });
  }

  close(): void {
    this.client.destroy();
  }
}
