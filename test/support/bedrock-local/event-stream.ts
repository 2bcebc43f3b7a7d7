import { EventStreamCodec, HeaderMarshaller, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/**
 * Bedrock's bidirectional stream nests two AWS event-stream messages per event: an outer one
 * carrying the SigV4 chunk signature, and an inner one carrying `{"bytes": base64(event JSON)}`.
 */
export const eventStreamCodec = new EventStreamCodec(toUtf8, fromUtf8);
const headerMarshaller = new HeaderMarshaller(toUtf8, fromUtf8);

const PRELUDE_BYTES = 12;
const MIN_MESSAGE_BYTES = 16;
// The codec refuses larger messages too; checking here stops a garbage prefix from buffering 4 GB.
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class EventStreamFormatError extends Error {
  override name = 'EventStreamFormatError';
}

/** Reassembles length-prefixed messages from arbitrary HTTP/2 DATA chunks. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length < MIN_MESSAGE_BYTES || length > MAX_MESSAGE_BYTES) {
        throw new EventStreamFormatError(`invalid event-stream message length ${length}`);
      }
      if (this.pending.length < length) break;
      frames.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    return frames;
  }
}

export interface SignedFrame {
  date: Date;
  signature: Uint8Array;
  /** The `:date` header exactly as the signer hashed it. */
  dateHeader: Uint8Array;
  /** The inner message; empty on the frame that ends the input. */
  payload: Uint8Array;
}

export function decodeSignedFrame(frame: Uint8Array): SignedFrame {
  const message = decode(frame);
  const date = message.headers[':date'];
  const signature = message.headers[':chunk-signature'];
  if (date?.type !== 'timestamp' || signature?.type !== 'binary') {
    throw new EventStreamFormatError('outer message lacks :date or :chunk-signature');
  }
  return {
    date: date.value,
    signature: signature.value,
    dateHeader: headerMarshaller.format({ ':date': date }),
    payload: message.body,
  };
}

/** The event JSON inside an inner `chunk` message. */
export function decodeInputEvent(payload: Uint8Array): unknown {
  const inner = decode(payload);
  const messageType = inner.headers[':message-type']?.value;
  const eventType = inner.headers[':event-type']?.value;
  if (messageType !== 'event' || eventType !== 'chunk') {
    throw new EventStreamFormatError(`unexpected inner message ${messageType}/${eventType}`);
  }
  let bytes: unknown;
  try {
    bytes = (JSON.parse(toUtf8(inner.body)) as { bytes?: unknown }).bytes;
  } catch {
    throw new EventStreamFormatError('inner message body is not JSON');
  }
  if (typeof bytes !== 'string') throw new EventStreamFormatError('inner message has no bytes');
  try {
    return JSON.parse(Buffer.from(bytes, 'base64').toString('utf8'));
  } catch {
    throw new EventStreamFormatError('event bytes are not JSON');
  }
}

export function encodeEvent(event: unknown): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(event)).toString('base64');
  return eventStreamCodec.encode({
    headers: {
      ':event-type': str('chunk'),
      ':content-type': str('application/json'),
      ':message-type': str('event'),
    },
    body: fromUtf8(JSON.stringify({ bytes })),
  });
}

/** A modelled exception: the SDK throws it as the typed error named by `type`. */
export function encodeException(type: string, message: string): Uint8Array {
  return eventStreamCodec.encode({
    headers: {
      ':message-type': str('exception'),
      ':exception-type': str(type),
      ':content-type': str('application/json'),
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** An unmodelled error: the SDK throws a plain Error named after `code`. */
export function encodeError(code: string, message: string): Uint8Array {
  return eventStreamCodec.encode({
    headers: {
      ':message-type': str('error'),
      ':error-code': str(code),
      ':error-message': str(message),
    },
    body: new Uint8Array(0),
  });
}

function decode(bytes: Uint8Array): { headers: MessageHeaders; body: Uint8Array } {
  if (bytes.length < PRELUDE_BYTES) throw new EventStreamFormatError('message too short');
  try {
    return eventStreamCodec.decode(bytes);
  } catch (cause) {
    throw new EventStreamFormatError(`undecodable event-stream message: ${String(cause)}`);
  }
}

function str(value: string) {
  return { type: 'string' as const, value };
}
