import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pingRedis } from '../../src/adapters/redis/ping.ts';

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface RedisProcess {
  url: string;
  /** SIGSTOP: sockets stay open but nothing answers, as in a partition or a stalled host. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/** A throwaway redis-server with no persistence, so a test may take it away from the service. */
export async function startRedisProcess(port?: number): Promise<RedisProcess> {
  const at = port ?? (await freePort());
  const url = `redis://127.0.0.1:${at}`;
  const args = ['--port', String(at), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await pingRedis(url, 200);
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw error;
      }
      await sleep(20);
    }
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
    async stop() {
      if (!running()) return;
      const exited = once(child, 'exit');
      // SIGKILL also ends a frozen process, so a failed test never leaves one behind.
      child.kill('SIGKILL');
      await exited;
    },
  };
}
