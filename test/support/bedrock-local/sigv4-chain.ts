import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNING_SERVICE = 'bedrock';

export interface SigningScope {
  secretAccessKey: string;
  region: string;
  service: string;
}

/** `YYYYMMDDTHHMMSSZ`, the SigV4 long date; milliseconds are dropped as the SDK does. */
export function longDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export function credentialScope(shortDate: string, scope: SigningScope): string {
  return `${shortDate}/${scope.region}/${scope.service}/aws4_request`;
}

export function signingKey(shortDate: string, scope: SigningScope): Buffer {
  let key: Buffer = Buffer.from(`AWS4${scope.secretAccessKey}`);
  for (const part of [shortDate, scope.region, scope.service, 'aws4_request']) {
    key = hmac(key, part);
  }
  return key;
}

export function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ChunkToVerify {
  date: Date;
  dateHeader: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * Checks each event's `:chunk-signature`, which chains on the previous one; the first link is
 * the `Signature=` of the request's Authorization header.
 */
export class ChunkSignatureChain {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly scope: SigningScope,
    private priorSignature: string,
  ) {}

  expected(chunk: Omit<ChunkToVerify, 'signature'>): Buffer {
    const long = longDate(chunk.date);
    const short = long.slice(0, 8);
    const stringToSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      long,
      credentialScope(short, this.scope),
      this.priorSignature,
      sha256Hex(chunk.dateHeader),
      sha256Hex(chunk.payload),
    ].join('\n');
    return hmac(this.keyFor(short), stringToSign);
  }

  verify(chunk: ChunkToVerify): boolean {
    const expected = this.expected(chunk);
    const given = Buffer.from(chunk.signature);
    // Chaining on what the client sent keeps one bad frame from failing every later one.
    this.priorSignature = given.toString('hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private keyFor(shortDate: string): Buffer {
    let key = this.keys.get(shortDate);
    if (!key) {
      key = signingKey(shortDate, this.scope);
      this.keys.set(shortDate, key);
    }
    return key;
  }
}
