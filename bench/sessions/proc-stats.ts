import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

export interface CpuSample {
  /** User plus system CPU seconds of every thread of the process so far. */
  cpuS: number;
  wallMs: number;
}

export function sampleCpu(pid: number): CpuSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after its last ')' do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat; `fields` starts at field 3.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { cpuS: ticks / TICKS_PER_SECOND, wallMs: performance.now() };
  } catch {
    return null;
  }
}

/** CPU used between two samples as a percentage of one core. */
export function cpuPercent(from: CpuSample | null, to: CpuSample | null): number | null {
  if (!from || !to || to.wallMs <= from.wallMs) return null;
  return round1((100 * (to.cpuS - from.cpuS)) / ((to.wallMs - from.wallMs) / 1000));
}

export function rssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
