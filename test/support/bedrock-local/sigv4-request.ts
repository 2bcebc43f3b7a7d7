import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http2';
import { credentialScope, hmac, SIGNING_SERVICE, sha256Hex, signingKey } from './sigv4-chain.ts';
import type { LocalBedrockCredentials } from './types.ts';

export interface Authorization {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export type AuthCheck =
  | { ok: true; authorization: Authorization }
  | { ok: false; status: number; errorType: string; message: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,\s]+), ?Signature=([0-9a-f]{64})$/;

// AWS's own wording, so adapters meet the messages they will see in production.
const MESSAGES = {
  missing: 'Missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
  mismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
};

export function parseAuthorization(value: string | undefined): Authorization | undefined {
  const match = value ? AUTHORIZATION.exec(value) : null;
  if (!match) return undefined;
  const [, accessKeyId, shortDate, region, service, signedHeaders, signature] =
    match as unknown as [string, string, string, string, string, string, string];
  return {
    accessKeyId,
    shortDate,
    region,
    service,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/** Verifies the request's SigV4 header signature the way Bedrock does, before any body is read. */
export function checkRequestAuth(
  headers: IncomingHttpHeaders,
  credentials: LocalBedrockCredentials,
  region: string,
): AuthCheck {
  const refuse = (errorType: string, message: string): AuthCheck => ({
    ok: false,
    status: 403,
    errorType,
    message,
  });
  const raw = headers.authorization;
  if (raw === undefined) return refuse('MissingAuthenticationTokenException', MESSAGES.missing);
  const authorization = parseAuthorization(raw);
  if (!authorization)
    return refuse('IncompleteSignatureException', `Invalid authorization: ${raw}`);
  if (authorization.accessKeyId !== credentials.accessKeyId) {
    return refuse('UnrecognizedClientException', MESSAGES.unknownKey);
  }
  if (authorization.region !== region) {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${authorization.region}'.`,
    );
  }
  if (authorization.service !== SIGNING_SERVICE) {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`,
    );
  }
  const amzDate = header(headers, 'x-amz-date');
  const payloadHash = header(headers, 'x-amz-content-sha256');
  if (!amzDate?.startsWith(authorization.shortDate) || !payloadHash) {
    return refuse('InvalidSignatureException', MESSAGES.mismatch);
  }
  const scope = { secretAccessKey: credentials.secretAccessKey, region, service: SIGNING_SERVICE };
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    credentialScope(authorization.shortDate, scope),
    sha256Hex(canonicalRequest(headers, authorization.signedHeaders, payloadHash)),
  ].join('\n');
  const expected = hmac(signingKey(authorization.shortDate, scope), stringToSign);
  const given = Buffer.from(authorization.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse('InvalidSignatureException', MESSAGES.mismatch);
  }
  return { ok: true, authorization };
}

function canonicalRequest(
  headers: IncomingHttpHeaders,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const [path = '/', query = ''] = (header(headers, ':path') ?? '/').split('?', 2);
  const canonicalHeaders = signedHeaders.map(
    (name) =>
      `${name}:${(header(headers, name) ?? '')
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim()}`,
  );
  return [
    header(headers, ':method') ?? '',
    canonicalPath(path),
    canonicalQuery(query),
    ...canonicalHeaders,
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** Non-S3 services escape the already-escaped path once more, so `%3A` is signed as `%253A`. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join('/')}${segments.length && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalised).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [key = '', value = ''] = pair.split('=', 2);
      return `${escapeUri(decodeURIComponent(key))}=${escapeUri(decodeURIComponent(value))}`;
    })
    .sort()
    .join('&');
}

function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
