import type { SnapshotFrom } from 'xstate';
import type { examinerMachine } from './machine.ts';
import type { ExaminerContext, PartName } from './types.ts';

type ExaminerSnapshot = SnapshotFrom<typeof examinerMachine>;

export type PublicStateName =
  | 'intro'
  | 'part1'
  | 'part2.cueCard'
  | 'part2.preparing'
  | 'part2.speaking'
  | 'part2.roundingOff'
  | 'part3'
  | 'closing'
  | 'suspended'
  | 'scoring'
  | 'done'
  | 'failed';

/** The state names the protocol, logs and metrics use: the statechart's, without `active`. */
export function publicStateName(snapshot: ExaminerSnapshot): PublicStateName {
  const value = snapshot.value;
  if (typeof value === 'string') return value as PublicStateName;
  const active = (value as { active?: unknown }).active;
  if (typeof active === 'string') return active as PublicStateName;
  const [part, inner] = Object.entries(active as Record<string, unknown>)[0] ?? [];
  if (part === 'part2') {
    const phase = typeof inner === 'string' ? inner : Object.keys(inner as object)[0];
    return `part2.${phase}` as PublicStateName;
  }
  return part as PublicStateName;
}

/** The finest state path, for logs: e.g. `active.part1.listening`. */
export function statePath(snapshot: ExaminerSnapshot): string {
  const walk = (v: unknown): string[] =>
    typeof v === 'string'
      ? [v]
      : Object.entries(v as Record<string, unknown>).flatMap(([k, inner]) => [k, ...walk(inner)]);
  return walk(snapshot.value).join('.');
}

export function partOf(name: PublicStateName): PartName | null {
  const part = name.split('.')[0];
  return part === 'intro' || part === 'part1' || part === 'part2' || part === 'part3' ? part : null;
}

export interface TimeLeft {
  /** The deadline that ends what the candidate is doing now, if one is armed. */
  deadline: number | null;
  timeLeftMs: number | null;
  partEndsAt: number | null;
}

/** Time left as the candidate sees it; while suspended the clocks are frozen at suspension. */
export function timeLeft(context: ExaminerContext, name: PublicStateName, now: number): TimeLeft {
  const t = context.times;
  const frozenNow = t.suspendedAt ?? now;
  const phased = name === 'part2.preparing' || name === 'part2.speaking';
  const deadline = phased ? t.phaseEndsAt : partOf(name) ? t.partEndsAt : null;
  return {
    deadline,
    timeLeftMs: deadline === null ? null : Math.max(0, deadline - frozenNow),
    partEndsAt: partOf(name) ? t.partEndsAt : null,
  };
}
