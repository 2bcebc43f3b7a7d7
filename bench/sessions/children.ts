import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root, so children resolve `tsx` and their entry files wherever we run from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TAIL_LINES = 40;
const live = new Set<ChildProcess>();

// A bench that dies any which way must not leave a server holding a port and a core.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** The last lines the child wrote, for the report when it misbehaves. */
  tail: string[];
  exited: Promise<number | string | null>;
  /** Resolves with the first output line that matches, or rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  onLine(listener: (line: string) => void): void;
}

/**
 * Runs a TypeScript entry under plain `node --import tsx`, not `npx`, so the pid we watch in
 * /proc is the process doing the work rather than a wrapper.
 */
export function spawnTs(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  live.add(child);
  const tail: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      for (const listener of listeners) listener(line);
    });
  }
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal);
    });
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  return {
    name,
    process: child,
    pid: child.pid,
    tail,
    exited,
    onLine: (listener) => listeners.push(listener),
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        if (gone) return reject(new Error(`${name} exited before it was ready`));
        const timer = setTimeout(
          () => reject(new Error(`${name} not ready in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const listener = (line: string) => {
          const match = pattern.exec(line);
          if (!match) return;
          clearTimeout(timer);
          resolve(match);
        };
        listeners.push(listener);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}) before it was ready`));
        });
      });
    },
  };
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs));
  if ((await Promise.race([child.exited, timer])) !== 'late') return;
  child.process.kill('SIGKILL');
  await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Polls `url` until it answers at all (503 `degraded` counts: Redis is not part of this bench). */
export async function waitForHttp(url: string, timeoutMs: number, child: Child): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let attempt = 0;
  while (performance.now() < deadline && attempt < 1000) {
    attempt += 1;
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child.name} did not answer ${url} in ${timeoutMs} ms`);
}
