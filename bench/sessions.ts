import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { synthesise } from '../src/adapters/speech-local/espeak-voice.ts';
import { type Child, freePort, spawnTs, stopChild, waitForHttp } from './sessions/children.ts';
import { Fleet } from './sessions/fleet.ts';
import { cpuPercent, rssKb, sampleCpu } from './sessions/proc-stats.ts';
import {
  humanReport,
  percentiles,
  promValues,
  round1,
  round2,
  type SessionsReport,
} from './sessions/report.ts';

/**
 * `npm run bench:sessions -- --sessions N --duration S [--json] [--diag]`: the examiner service
 * and the local Bedrock server in processes of their own, N candidates streaming real-time audio
 * over WebSockets, and the latency of examiner audio from Bedrock's send to the candidate.
 */
const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20' },
    duration: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    diag: { type: 'boolean', default: false },
  },
});
const sessions = Number(values.sessions);
const durationS = Number(values.duration);
if (!Number.isInteger(sessions) || sessions < 1 || sessions > 5000) {
  console.error('--sessions must be an integer from 1 to 5000');
  process.exit(2);
}
if (!(durationS > 0 && durationS <= 3600)) {
  console.error('--duration must be a number of seconds, above 0 and at most 3600');
  process.exit(2);
}
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

const children: Child[] = [];
// Whatever hangs (a child that will not start, a socket that will not close), the run ends.
setTimeout(
  () => {
    console.error(`bench:sessions: hard cap of ${durationS + 60} s reached, killing everything`);
    for (const child of children) child.process.kill('SIGKILL');
    process.exit(3);
  },
  (durationS + 60) * 1000,
).unref();

/** prom-client's default sampling period, which the service keeps; ours matches it. */
const LOOP_RESOLUTION_MS = 10;
const rampMs = Math.min(10_000, Math.max(2000, sessions * 15));
let fleet = null as Fleet | null;
let stopping = false;
let exitCode = 0;
try {
  const report = await run();
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else say(humanReport(report));
} catch (error) {
  console.error(`bench:sessions failed: ${(error as Error).message}`);
  for (const child of children) {
    if (child.tail.length)
      console.error(`--- last lines of ${child.name}:\n${child.tail.join('\n')}`);
  }
  exitCode = 1;
} finally {
  stopping = true;
  await fleet?.close(5000);
  await Promise.all(children.map((child) => stopChild(child)));
}
process.exit(exitCode);

async function run(): Promise<SessionsReport> {
  // Synthesised before any child starts, so espeak's WASM costs nothing inside the window.
  const speech = await candidateSpeech();
  // The fake keys must not be paired with a real session token or profile from this shell.
  const inherited = { ...process.env };
  delete inherited.AWS_PROFILE;
  delete inherited.AWS_SESSION_TOKEN;

  const bedrockPort = await freePort();
  const bedrock = spawnTs(
    'local bedrock',
    'test/support/bedrock-local/main.ts',
    ['--port', String(bedrockPort), '--stamp-audio', '--audio-pacing', '1'],
    inherited,
  );
  children.push(bedrock);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
  let endpoint = '';
  bedrock.onLine((line) => {
    endpoint ||= /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
    credentials.accessKeyId =
      /AWS_ACCESS_KEY_ID:\s+(\S+)/.exec(line)?.[1] ?? credentials.accessKeyId;
    credentials.secretAccessKey =
      /AWS_SECRET_ACCESS_KEY:\s+(\S+)/.exec(line)?.[1] ?? credentials.secretAccessKey;
  });
  // The secret is the banner's last line: once it is out, the endpoint and key have been read.
  await bedrock.waitForLine(/AWS_SECRET_ACCESS_KEY:/, 30_000);
  if (!endpoint) throw new Error('the local Bedrock server did not print its endpoint');
  say(`local bedrock at ${endpoint}`);

  const servicePort = await freePort();
  const service = spawnTs('examiner service', 'src/examiner/main.ts', [], {
    ...inherited,
    PORT: String(servicePort),
    HOST: '127.0.0.1',
    SPEECH_ENGINE: 'nova-sonic',
    NOVA_SONIC_ENDPOINT: endpoint,
    NOVA_SONIC_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'warn',
    RECOGNISER: 'none',
  });
  children.push(service);
  const serviceLogs = countLogs(service);
  const baseUrl = `http://127.0.0.1:${servicePort}`;
  await waitForHttp(`${baseUrl}/health`, 30_000, service);
  say(`examiner service on port ${servicePort}`);

  const current = new Fleet({ baseUrl, sessions, rampMs, speech });
  fleet = current;
  for (const child of children) {
    void child.exited.then((code) => {
      if (!stopping) current.recordError(`exit:${child.name}:${code}`);
    });
  }
  const baselineRssKb = rssKb(service.pid);
  say(`opening ${sessions} sessions over ${(rampMs / 1000).toFixed(1)} s`);
  await current.connect(15_000);
  say(`${current.connected}/${sessions} sessions streaming; measuring for ${durationS} s`);

  await metricsText(baseUrl); // resets the service's event-loop delay histogram
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const benchCpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const cpu0 = [sampleCpu(service.pid), sampleCpu(bedrock.pid)];
  current.measure(true);
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
  current.measure(false);
  const cpu1 = [sampleCpu(service.pid), sampleCpu(bedrock.pid)];
  const benchCpu = process.cpuUsage(benchCpu0);
  const wallS = (performance.now() - wall0) / 1000;
  loop.disable();
  const endRssKb = rssKb(service.pid);
  const metrics = await metricsText(baseUrl);

  const report: SessionsReport = {
    sessions,
    durationS,
    errors: current.errors,
    errorKinds: Object.fromEntries(current.errorKinds),
    framesReceived: current.framesReceived,
    ...percentiles(current.latencies),
    serviceCpuPercent: cpuPercent(cpu0[0] ?? null, cpu1[0] ?? null),
    bedrockCpuPercent: cpuPercent(cpu0[1] ?? null, cpu1[1] ?? null),
    serviceRssMb: endRssKb === null ? null : round1(endRssKb / 1024),
    rssPerSessionKb:
      endRssKb === null || baselineRssKb === null
        ? null
        : round1((endRssKb - baselineRssKb) / sessions),
    nodeVersion: process.version,
  };
  if (values.diag || !values.json) {
    // Both histograms time a periodic timer, so an idle loop reads as its period: subtract it.
    const lag = (name: string) => {
      const value = Object.values(promValues(metrics, name))[0];
      return value === undefined ? null : round2(Math.max(0, value * 1000 - LOOP_RESOLUTION_MS));
    };
    const benchLag = (ns: number) => round2(Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS));
    report.diag = {
      connected: current.connected,
      unstampedFrames: current.unstampedFrames,
      framesPerSecond: round1(current.framesReceived / wallS),
      pacingSkips: current.pacingSkips,
      serviceLoopLagP50Ms: lag('nodejs_eventloop_lag_p50_seconds'),
      serviceLoopLagP99Ms: lag('nodejs_eventloop_lag_p99_seconds'),
      serviceLoopLagMaxMs: lag('nodejs_eventloop_lag_max_seconds'),
      benchCpuPercent: round1((100 * (benchCpu.user + benchCpu.system)) / 1e6 / wallS),
      benchLoopLagP99Ms: benchLag(loop.percentile(99)),
      benchLoopLagMaxMs: benchLag(loop.max),
      bedrockRssMb: round1((rssKb(bedrock.pid) ?? 0) / 1024),
      baselineRssMb: baselineRssKb === null ? null : round1(baselineRssKb / 1024),
      engineErrors: promValues(metrics, 'speech_engine_errors_total'),
      engineStreamOpens: promValues(metrics, 'speech_engine_stream_opens_total'),
      serviceWarnings: serviceLogs(),
    };
  }
  return report;
}

/** About two seconds of a voice unlike the examiner's; a tone when espeak-ng is not there. */
async function candidateSpeech(): Promise<Buffer> {
  const twoSeconds = 2000 * 32;
  try {
    const pcm = await synthesise('I live in a small flat near the city centre with my family.', {
      sampleRate: 16_000,
      voice: 'en-us',
    });
    return pcm.subarray(0, Math.min(pcm.length, twoSeconds) & ~1);
  } catch {
    const tone = Buffer.alloc(twoSeconds);
    for (let i = 0; i < tone.length / 2; i += 1) {
      tone.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 16_000)), i * 2);
    }
    return tone;
  }
}

async function metricsText(baseUrl: string): Promise<string> {
  try {
    const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    return await response.text();
  } catch {
    return '';
  }
}

/**
 * Warnings and errors the service logged, by message: where its trouble is, in its own words.
 * Lines that are not pino's come from libraries writing to the console; one-off lines (Node's
 * own start-up warnings) are left out, repeated ones are what a load problem looks like.
 */
function countLogs(child: Child): () => Record<string, number> {
  const counts = new Map<string, number>();
  const bump = (key: string) => {
    if (counts.has(key) || counts.size < 50) counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  child.onLine((line) => {
    if (line.trim() === '') return;
    let entry: { level?: number; msg?: string };
    try {
      entry = JSON.parse(line) as { level?: number; msg?: string };
    } catch {
      bump(`console: ${line.slice(0, 70)}`);
      return;
    }
    if ((entry.level ?? 0) >= 40) bump(entry.msg ?? 'unknown');
  });
  return () =>
    Object.fromEntries(
      [...counts].filter(([key, count]) => count > 1 || !key.startsWith('console: ')),
    );
}
