import { connect } from 'node:net';

/**
 * Answers whether Redis at `url` replies to PING. Used by /health only, so it speaks the one
 * command itself rather than holding a client connection open.
 */
export function pingRedis(url: string, timeoutMs = 1000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error('redis ping timed out')));
    socket.once('error', fail);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      const reply = data.toString('utf8');
      // An instance that wants AUTH still answers, so it counts as reachable.
      if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) resolve();
      else reject(new Error('unexpected redis reply'));
    });
  });
}
