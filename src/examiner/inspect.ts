import type { InspectionEvent } from 'xstate';
import type { Logger } from '../log.ts';

export interface Inspection {
  inspect: (event: InspectionEvent) => void;
  stop(): void;
}

/**
 * Streams every examiner actor to the Stately inspector through the package's local relay.
 * Inspection events carry the whole context, transcripts included, so this is off unless
 * XSTATE_INSPECT=1 and the relay listens on loopback only.
 */
export async function startInspection(port: number, logger: Logger): Promise<Inspection> {
  const { createInspectorServer } = await import('@statelyai/inspect/server');
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const server = createInspectorServer({ port, autoOpen: false });
  const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
  logger.info({ port }, 'stately inspector relay listening');
  return {
    inspect: inspector.inspect as (event: InspectionEvent) => void,
    stop() {
      inspector.stop();
      server.stop();
    },
  };
}
