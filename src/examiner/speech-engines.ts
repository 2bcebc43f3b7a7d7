import { NovaSonicEngine } from '../adapters/bedrock/nova-sonic/engine.ts';
import { OfflineSpeechEngine } from '../adapters/speech-local/offline-engine.ts';
import { detectRecogniser } from '../adapters/speech-local/pocketsphinx-recogniser.ts';
import type { Config } from '../config.ts';
import type { SpeechEngine } from '../domain/ports/speech-engine.ts';
import type { Logger } from '../log.ts';
import type { ExaminerMetrics } from './metrics.ts';

export class EngineConfigError extends Error {
  override name = 'EngineConfigError';
}

/**
 * The one place the speech engine is chosen. Nova Sonic's settings are checked here, so a missing
 * credential or a bad setting stops the server at start-up with a message that names it.
 */
export async function createSpeechEngine(
  config: Config,
  logger: Logger,
  metrics: ExaminerMetrics,
): Promise<{ engine: SpeechEngine; close(): void }> {
  if (config.SPEECH_ENGINE === 'offline') {
    const recogniser = detectRecogniser(config.RECOGNISER);
    logger.info({ recogniser: recogniser?.name ?? 'none' }, 'offline recogniser chosen');
    const engine = new OfflineSpeechEngine({
      endOfTurnMs: config.END_OF_TURN_MS,
      recogniser,
      logger,
    });
    return { engine, close: () => {} };
  }
  const engine = new NovaSonicEngine({
    region: config.NOVA_SONIC_REGION,
    modelId: config.NOVA_SONIC_MODEL_ID,
    voiceId: config.NOVA_SONIC_VOICE,
    ...(config.NOVA_SONIC_ENDPOINT ? { endpoint: config.NOVA_SONIC_ENDPOINT } : {}),
    endpointingSensitivity: config.NOVA_SONIC_ENDPOINTING,
    rotateAfterMs: config.NOVA_SONIC_ROTATE_MS,
    endOfTurnMs: config.END_OF_TURN_MS,
    logger,
    observer: {
      streamOpened: (reason) => {
        // Opens at the start of a test are counted by the session, whatever the engine.
        if (reason !== 'start') metrics.engineStreams.inc({ engine: 'nova-sonic', reason });
      },
      streamFailed: (error) => metrics.engineErrors.inc({ engine: 'nova-sonic', error }),
    },
  });
  try {
    await engine.checkCredentials();
  } catch (error) {
    engine.close();
    throw new EngineConfigError(
      `SPEECH_ENGINE=nova-sonic needs AWS credentials for Bedrock in ${config.NOVA_SONIC_REGION} ` +
        `(${(error as Error).message})`,
    );
  }
  logger.info(
    {
      model: config.NOVA_SONIC_MODEL_ID,
      region: config.NOVA_SONIC_REGION,
      voice: config.NOVA_SONIC_VOICE,
    },
    'nova sonic engine chosen',
  );
  return { engine, close: () => engine.close() };
}
