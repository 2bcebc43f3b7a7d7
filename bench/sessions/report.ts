import { round1 } from './proc-stats.ts';

export interface SessionsReport {
  sessions: number;
  durationS: number;
  errors: number;
  errorKinds: Record<string, number>;
  framesReceived: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  serviceCpuPercent: number | null;
  bedrockCpuPercent: number | null;
  serviceRssMb: number | null;
  rssPerSessionKb: number | null;
  nodeVersion: string;
  diag?: Record<string, unknown>;
}

export function percentiles(
  samples: number[],
): Pick<SessionsReport, 'p50Ms' | 'p95Ms' | 'p99Ms' | 'maxMs'> {
  if (samples.length === 0) return { p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
  const sorted = Float64Array.from(samples).sort();
  // Nearest rank: the reported value is one that was actually measured.
  const at = (q: number) =>
    round2(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  return {
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: round2(sorted[sorted.length - 1] ?? 0),
  };
}

/** The Prometheus text format's value for one unlabelled metric, or sums over its label sets. */
export function promValues(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const match = /^(\S+?)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    out[match[2] ?? ''] = Number(match[3]);
  }
  return out;
}

export function humanReport(r: SessionsReport): string {
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v} ms`);
  const pct = (v: number | null) => (v === null ? 'n/a' : `${v} %`);
  const lines = [
    `${r.sessions} sessions for ${r.durationS} s (node ${r.nodeVersion})`,
    `errors: ${r.errors}${r.errors ? ` ${JSON.stringify(r.errorKinds)}` : ''}`,
    `stamped audio frames received: ${r.framesReceived}`,
    `relay latency: p50 ${ms(r.p50Ms)}, p95 ${ms(r.p95Ms)}, p99 ${ms(r.p99Ms)}, max ${ms(r.maxMs)}`,
    `service CPU ${pct(r.serviceCpuPercent)} of one core, local Bedrock CPU ${pct(r.bedrockCpuPercent)}`,
    `service RSS ${r.serviceRssMb ?? 'n/a'} MB, ${r.rssPerSessionKb ?? 'n/a'} kB per session`,
  ];
  if (r.diag) lines.push(`diagnostics: ${JSON.stringify(r.diag)}`);
  return lines.join('\n');
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export { round1 };
