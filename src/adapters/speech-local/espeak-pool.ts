import { Worker } from 'node:worker_threads';

interface Job {
  resolve(wav: Uint8Array): void;
  reject(error: Error & { errors?: string[] }): void;
}

const POOL_SIZE = 2;

/**
 * espeak-ng on worker threads. Workers are referenced only while they have work, so an idle pool
 * never keeps a finished process alive, and a worker that dies fails its jobs rather than
 * leaving them waiting.
 */
class EspeakPool {
  private workers: Array<{ worker: Worker; jobs: Map<number, Job> }> = [];
  private nextId = 1;
  private turn = 0;

  run(args: string[], output: string): Promise<Uint8Array> {
    if (this.workers.length < POOL_SIZE) this.workers.push(this.spawn());
    const slot = this.workers[this.turn++ % this.workers.length] as (typeof this.workers)[number];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, args, output });
    });
  }

  private spawn() {
    const worker = new Worker(new URL('./espeak-worker.mjs', import.meta.url));
    const slot = { worker, jobs: new Map<number, Job>() };
    worker.unref();
    worker.on(
      'message',
      (message: { id: number; wav?: Uint8Array; error?: string; errors?: string[] }) => {
        const job = slot.jobs.get(message.id);
        if (!job) return;
        slot.jobs.delete(message.id);
        if (slot.jobs.size === 0) worker.unref();
        if (message.wav) job.resolve(message.wav);
        else
          job.reject(
            Object.assign(new Error(message.error ?? 'failed'), { errors: message.errors ?? [] }),
          );
      },
    );
    const fail = (error: Error) => {
      this.workers = this.workers.filter((s) => s !== slot);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`espeak worker exited with code ${code}`)));
    return slot;
  }
}

const pool = new EspeakPool();

/** Runs espeak-ng's command line with `args` on a worker and returns the WAV file it wrote. */
export function runEspeak(args: string[], output: string): Promise<Uint8Array> {
  return pool.run(args, output);
}
