import { parseArgs } from 'node:util';
import { type LocalDynamo, startLocalDynamo } from '../src/adapters/dynamodb/local-dynamodb.ts';
import { RedisCheckpointStore } from '../src/adapters/redis/checkpoint-store.ts';
import { createRedisClient, redisReady } from '../src/adapters/redis/client.ts';
import { prepareAnswers } from './demo/candidate.ts';
import {
  type ExaminerNode,
  histogramBuckets,
  quantileFromBuckets,
  scrapeMetrics,
  startNode,
} from './failover/nodes.ts';
import { type FailoverRun, failoverOnce } from './failover/run.ts';
import { percentiles, round2 } from './sessions/report.ts';

/**
 * `npm run bench:failover -- [--runs R] [--fast F] [--lease-ttl-ms MS] [--json]`: two examiner
 * processes on one Redis and one dynalite; a candidate on node A is SIGKILLed away from it as
 * Part 2's long turn begins and comes back on node B. Measures kill → first examiner audio on B,
 * and whether any turn the candidate saw end was lost. Clocks run `--fast` times real time (only
 * the test's clocks: leases, retries and the candidate's reconnects are wall time).
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    fast: { type: 'string', default: '10' },
    'lease-ttl-ms': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const fast = Number(values.fast);
const leaseTtlMs = values['lease-ttl-ms'] ? Number(values['lease-ttl-ms']) : null;
if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
  console.error('--runs must be an integer from 1 to 100');
  process.exit(2);
}
if (!(fast >= 1 && fast <= 40)) {
  console.error('--fast must be a number from 1 to 40');
  process.exit(2);
}
if (leaseTtlMs !== null && !(Number.isInteger(leaseTtlMs) && leaseTtlMs >= 500)) {
  console.error('--lease-ttl-ms must be an integer of at least 500');
  process.exit(2);
}
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

// A whole test takes about 800 s of test time; a run gets that, the resume window and slack.
const runTimeoutMs = Math.ceil((800_000 / fast) * 1.5) + 20_000;
setTimeout(
  () => {
    console.error('bench:failover: hard cap reached, giving up');
    process.exit(3);
  },
  runs * (runTimeoutMs + 30_000) + 60_000,
).unref();

const nodes: ExaminerNode[] = [];
let dynamo = null as LocalDynamo | null;
const redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const checkpoints = new RedisCheckpointStore(redis);
let exitCode = 0;
try {
  const report = await bench();
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else say(JSON.stringify(report, null, 2));
} catch (error) {
  console.error(`bench:failover failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await Promise.all(nodes.map((node) => node.stop()));
  await checkpoints.close();
  await dynamo?.close();
}
process.exit(exitCode);

async function bench() {
  if (!(await redisReady(redis))) throw new Error('Redis does not answer');
  dynamo = await startLocalDynamo(0);
  const settings = {
    dynamoEndpoint: dynamo.endpoint,
    timeScale: fast,
    // Ended tests need not stay in Redis for a day after a bench.
    env: { ENDED_TTL_MS: '600000', ...(leaseTtlMs ? { LEASE_TTL_MS: String(leaseTtlMs) } : {}) },
  };
  say('synthesising the candidate’s answers…');
  const answers = await prepareAnswers();
  // B stays up across runs, as a surviving node would; A is a fresh process every run.
  const b = await startNode('node-b', settings);
  nodes.push(b);
  const results: FailoverRun[] = [];
  for (let i = 0; i < runs; i += 1) {
    const a = await startNode(`node-a${i + 1}`, settings);
    nodes.push(a);
    say(`run ${i + 1}/${runs}: candidate on ${a.name}, killed as Part 2's long turn begins`);
    const run = await failoverOnce({ a, b, fast, answers, checkpoints, timeoutMs: runTimeoutMs });
    await a.stop();
    nodes.splice(nodes.indexOf(a), 1);
    say(
      `  ${run.completed ? 'completed' : 'NOT completed'}, resumed in ${run.resumedIn}, ` +
        `kill → audio ${run.resumeMs ?? 'n/a'} ms ${JSON.stringify(run.phases)}` +
        `${run.errors.length ? `, errors ${JSON.stringify(run.errors)}` : ''}`,
    );
    results.push(run);
  }
  const writes = histogramBuckets(
    [...results.map((r) => r.metricsA), await scrapeMetrics(b.url)],
    'examiner_checkpoint_write_seconds',
  );
  const p99Write = quantileFromBuckets(writes, 0.99);
  const resume = percentiles(results.flatMap((r) => r.resumeMs ?? []));
  const phase = (key: keyof FailoverRun['phases']) =>
    percentiles(results.flatMap((r) => r.phases[key] ?? [])).p50Ms;
  return {
    runs,
    resumeMsP50: resume.p50Ms,
    resumeMsP99: resume.p99Ms,
    turnsLost: results.reduce((n, r) => n + r.turnsLost.length, 0),
    checkpointWriteP99Ms: p99Write === null ? null : round2(p99Write * 1000),
    completed: results.filter((r) => r.completed).length,
    errors: results.flatMap((r) => r.errors),
    fast,
    leaseTtlMs: leaseTtlMs ?? Number(process.env.LEASE_TTL_MS || 2000),
    // Cumulative counts per bucket bound (seconds), as /metrics has them.
    checkpointWriteBuckets: Object.fromEntries([...writes].map(([le, n]) => [String(le), n])),
    // Medians of the moments after the kill: the close seen, B's socket open, `ready`, audio.
    phasesP50Ms: {
      close: phase('closeMs'),
      open: phase('openMs'),
      ready: phase('readyMs'),
      audio: phase('audioMs'),
    },
    perRun: results.map((r) => ({
      resumeMs: r.resumeMs,
      readyMs: r.phases.readyMs,
      resumedIn: r.resumedIn,
      reconnects: r.reconnects,
      turnsBefore: r.turnsBefore.length,
      turnsLost: r.turnsLost,
      completed: r.completed,
    })),
  };
}
