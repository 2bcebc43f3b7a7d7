// Runs espeak-ng off the main thread: one synthesis blocks its thread for 150-250 ms, which on
// the main thread would stall every socket, timer and checkpoint write of the node.
// Plain JavaScript, so it starts the same under node, tsx and the test runner.
import { parentPort } from 'node:worker_threads';

let factory;

parentPort.on('message', async ({ id, args, output }) => {
  try {
    factory ??= (await import('espeak-ng')).default;
    const errors = [];
    const instance = await factory({
      arguments: args,
      print() {},
      printErr(message) {
        if (errors.length < 5) errors.push(message);
      },
    });
    let file;
    try {
      file = instance.FS.readFile(output);
    } catch {
      parentPort.postMessage({ id, error: 'no-audio', errors });
      return;
    }
    const wav = file.slice();
    parentPort.postMessage({ id, wav }, [wav.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: 'failed', errors: [String(error?.message ?? error)] });
  }
});
