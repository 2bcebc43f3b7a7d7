import { createServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BidirectionalStreamRoute } from './bidi-route.ts';
import { FaultBook, HTTP_FAULT_MESSAGE } from './faults.ts';
import { compileRoutes, refuse } from './routes.ts';
import { checkRequestAuth } from './sigv4-request.ts';
import {
  type Fault,
  type LocalBedrock,
  type LocalBedrockOptions,
  resolveOptions,
  type StreamRecord,
} from './types.ts';

export { AUDIO_STAMP_BYTES, AUDIO_STAMP_MAGIC, readAudioStamp } from './audio-stamp.ts';
export type {
  ExceptionType,
  Fault,
  LocalBedrock,
  LocalBedrockCredentials,
  LocalBedrockOptions,
  StreamRecord,
} from './types.ts';

const HOST = '127.0.0.1';

/**
 * A plaintext HTTP/2 server that speaks Bedrock runtime's wire protocol, so adapters can be tested
 * through the real `@aws-sdk/client-bedrock-runtime`.
 */
export async function startLocalBedrock(options: LocalBedrockOptions = {}): Promise<LocalBedrock> {
  const config = resolveOptions(options);
  const streams: StreamRecord[] = [];
  const faults = new FaultBook();
  const bidirectional = new BidirectionalStreamRoute(config, faults);
  // A Converse route (`POST /model/:modelId/converse`) slots in here.
  const match = compileRoutes([bidirectional]);

  const server = createServer();
  const connections = new Set<Http2Session>();
  server.on('session', (session) => {
    connections.add(session);
    session.on('close', () => connections.delete(session));
    session.on('error', () => {});
  });

  server.on('stream', (stream, headers) => {
    // A client reset surfaces as a stream error; it is an ordinary way for a stream to end.
    stream.on('error', () => {});
    const found = match(String(headers[':method']), String(headers[':path']));
    if (!found) {
      refuse(stream, 404, 'UnknownOperationException', 'Unknown operation');
      return;
    }
    const record: StreamRecord = {
      id: streams.length + 1,
      modelId: found.params.modelId ?? '',
      events: [],
      errors: [],
      signatureFailures: 0,
    };
    streams.push(record);

    const fault = faults.takeHttp();
    if (fault) {
      const message = fault.message ?? HTTP_FAULT_MESSAGE;
      record.errors.push(`${fault.errorType}: ${message}`);
      record.closedBy = 'fault';
      refuse(stream, fault.status, fault.errorType, message);
      return;
    }
    const auth = checkRequestAuth(headers, config.credentials, config.region);
    if (!auth.ok) {
      if (auth.errorType === 'InvalidSignatureException') record.signatureFailures += 1;
      record.errors.push(`${auth.errorType}: ${auth.message}`);
      record.closedBy = 'server';
      refuse(stream, auth.status, auth.errorType, auth.message);
      return;
    }
    found.route.handle({
      stream,
      headers,
      params: found.params,
      record,
      signature: auth.authorization.signature,
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://${HOST}:${port}`,
    port,
    credentials: config.credentials,
    region: config.region,
    streams,
    injectNext(fault: Fault) {
      faults.queue(fault);
    },
    injectLive(fault: Fault) {
      if (fault.kind === 'http') {
        throw new TypeError('an http fault refuses a request; use injectNext for it');
      }
      bidirectional.injectLive(fault);
    },
    close() {
      return new Promise<void>((resolve) => {
        bidirectional.shutdown();
        server.close(() => resolve());
        for (const connection of connections) connection.destroy();
      });
    },
  };
}
