import { randomUUID } from 'node:crypto';
import {
  decodeInputEvent,
  decodeSignedFrame,
  EventStreamFormatError,
  FrameSplitter,
} from './event-stream.ts';
import type { FaultBook } from './faults.ts';
import { ResponseChannel } from './response-channel.ts';
import { type Route, type RouteRequest, refuse } from './routes.ts';
import { ChunkSignatureChain, SIGNING_SERVICE } from './sigv4-chain.ts';
import { SonicSession } from './sonic-session.ts';
import type { ResolvedOptions, StreamFault } from './types.ts';

export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-EVENTS';
export const THROTTLED_MESSAGE = 'Too many requests, please wait before trying again.';
const CHUNK_SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided.';

/** `POST /model/{modelId}/invoke-with-bidirectional-stream`: one Nova Sonic session per stream. */
export class BidirectionalStreamRoute implements Route {
  readonly method = 'POST';
  readonly path = '/model/:modelId/invoke-with-bidirectional-stream';
  private readonly sessions = new Set<SonicSession>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly faults: FaultBook,
  ) {}

  handle({ stream, headers, record, signature }: RouteRequest): void {
    const deny = (status: number, errorType: string, message: string) => {
      record.errors.push(`${errorType}: ${message}`);
      record.closedBy = 'server';
      refuse(stream, status, errorType, message);
    };
    if (headers['x-amz-content-sha256'] !== STREAMING_PAYLOAD) {
      record.signatureFailures += 1;
      deny(403, 'InvalidSignatureException', `x-amz-content-sha256 must be ${STREAMING_PAYLOAD}`);
      return;
    }
    if (this.sessions.size >= this.options.maxConcurrentStreams) {
      deny(429, 'ThrottlingException', THROTTLED_MESSAGE);
      return;
    }

    stream.respond({
      ':status': 200,
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': randomUUID(),
    });
    const channel = new ResponseChannel(stream);
    const session = new SonicSession({ record, channel, options: this.options });
    this.sessions.add(session);
    for (const fault of this.faults.takeStreamFaults()) session.arm(fault, 'next');

    const chain = new ChunkSignatureChain(
      {
        secretAccessKey: this.options.credentials.secretAccessKey,
        region: this.options.region,
        service: SIGNING_SERVICE,
      },
      signature,
    );
    const splitter = new FrameSplitter();
    let readable = true;
    const onFrame = (bytes: Buffer) => {
      const frame = decodeSignedFrame(bytes);
      if (!chain.verify(frame)) {
        record.signatureFailures += 1;
        session.failSignature(CHUNK_SIGNATURE_MESSAGE);
        return;
      }
      if (frame.payload.length === 0) session.inputEnded();
      else session.receive(decodeInputEvent(frame.payload));
    };
    stream.on('data', (chunk: Buffer) => {
      if (!readable) return;
      try {
        for (const frame of splitter.push(chunk)) onFrame(frame);
      } catch (error) {
        // Either the framing is lost or the fake itself broke; nothing after this can be trusted.
        readable = false;
        if (error instanceof EventStreamFormatError) {
          session.fail('validationException', `Invalid event bytes: ${error.message}`);
        } else {
          session.fail('internalServerException', `The local Bedrock server failed: ${error}`);
        }
      }
    });
    stream.on('end', () => session.inputEnded());
    stream.on('close', () => {
      session.dispose();
      this.sessions.delete(session);
    });
  }

  injectLive(fault: StreamFault): void {
    for (const session of this.sessions) session.arm(fault, 'live');
  }

  shutdown(): void {
    for (const session of this.sessions) session.shutdown();
  }
}
