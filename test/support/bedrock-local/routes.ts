import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { StreamRecord } from './types.ts';

export interface RouteRequest {
  stream: ServerHttp2Stream;
  headers: IncomingHttpHeaders;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  record: StreamRecord;
  /** The request's `Signature=`, which the event-stream chunk chain starts from. */
  signature: string;
}

/**
 * One Bedrock runtime operation. `path` uses `:name` segments, e.g. `/model/:modelId/converse`;
 * the server has checked the request's signature before `handle` runs.
 */
export interface Route {
  method: string;
  path: string;
  handle(request: RouteRequest): void;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export type RouteMatcher = (method: string, path: string) => RouteMatch | undefined;

export function compileRoutes(routes: Route[]): RouteMatcher {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    return { route, names, pattern: new RegExp(`^${source}$`) };
  });
  return (method, path) => {
    const pathname = path.split('?', 1)[0] ?? '';
    for (const { route, names, pattern } of compiled) {
      if (route.method !== method) continue;
      const match = pattern.exec(pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          params[name] = decodeURIComponent(match[i + 1] ?? '');
        });
      } catch {
        return undefined;
      }
      return { route, params };
    }
    return undefined;
  };
}

/** An HTTP-level error in Bedrock's restJson shape, which the SDK turns into a typed exception. */
export function refuse(
  stream: ServerHttp2Stream,
  status: number,
  errorType: string,
  message: string,
): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond({
    ':status': status,
    'content-type': 'application/json',
    'x-amzn-errortype': errorType,
    'x-amzn-requestid': randomUUID(),
  });
  stream.end(JSON.stringify({ message }));
  // The client may still be streaming its body; reading it lets the stream close cleanly.
  stream.resume();
}
