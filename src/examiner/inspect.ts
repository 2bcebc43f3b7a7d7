import type { InspectionEvent } from 'xstate';
import type { Logger } from '../log.ts';

export interface Inspection {
  inspect: (event: InspectionEvent) => void;
  stop(): void;
}

/**
 * Streams every examiner actor to the Stately inspector through the package's relay server.
 * Inspection events carry the whole actor context (the questions, the result), so this is off
 * unless XSTATE_INSPECT=1. Candidate speech never reaches the actor, so it never reaches the
 * inspector. The relay listens on every interface of the machine: use it on a developer's
 * machine only.
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
