import { type Child, freePort, spawnTs, stopChild, waitForHttp } from '../sessions/children.ts';

/** One examiner node in a process of its own, so it can be killed like a crashed machine. */
export interface ExaminerNode {
  name: string;
  url: string;
  child: Child;
  /** SIGKILL: no drain, no lease release, no last checkpoint. */
  kill(): void;
  stop(): Promise<void>;
}

export interface NodeSettings {
  /** The DynamoDB every node shares (one dynalite), else each would keep its own results. */
  dynamoEndpoint: string;
  timeScale: number;
  /** Extra settings, e.g. LEASE_TTL_MS; the environment of this process is inherited too. */
  env?: Record<string, string>;
}

/** Starts `src/examiner/main.ts` on a free port and waits until /health answers. */
export async function startNode(name: string, settings: NodeSettings): Promise<ExaminerNode> {
  const port = await freePort();
  const child = spawnTs(name, 'src/examiner/main.ts', [], {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ID: name,
    TIME_SCALE: String(settings.timeScale),
    DYNAMODB_ENDPOINT: settings.dynamoEndpoint,
    RECOGNISER: 'none',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...settings.env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/health`, 30_000, child);
  } catch (error) {
    child.process.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${child.tail.join('\n')}`);
  }
  return {
    name,
    url,
    child,
    kill: () => {
      child.process.kill('SIGKILL');
    },
    stop: () => stopChild(child, 5000),
  };
}

export async function scrapeMetrics(url: string): Promise<string> {
  try {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
    return await response.text();
  } catch {
    return '';
  }
}

/** A Prometheus counter's value for one exact label set (`{outcome="completed"}`), or 0. */
export function counterValue(text: string, name: string, labels = ''): number {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}${labels} `)) return Number(line.split(' ')[1]);
  }
  return 0;
}

/** Cumulative `le` buckets of one unlabelled histogram, summed over every scrape given. */
export function histogramBuckets(texts: string[], name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`).exec(line);
      if (!match) continue;
      const le = match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]);
      buckets.set(le, (buckets.get(le) ?? 0) + Number(match[2]));
    }
  }
  return buckets;
}

/**
 * The q-quantile from cumulative buckets, interpolated linearly inside its bucket as
 * Prometheus' histogram_quantile does; null with no observations. In the top bucket it is that
 * bucket's lower bound, since the histogram says nothing past it.
 */
export function quantileFromBuckets(buckets: Map<number, number>, q: number): number | null {
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lower;
      const inBucket = count - below;
      return inBucket === 0 ? le : lower + ((le - lower) * (rank - below)) / inBucket;
    }
    lower = le;
    below = count;
  }
  return lower;
}
