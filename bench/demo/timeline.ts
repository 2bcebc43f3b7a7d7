/** How long each part lasted, in test-clock ms, from the states the client was told. */
export function partDurations(
  states: Array<{ state: string; at: number }>,
): Record<string, number> {
  const starts: Array<[string, number]> = [];
  for (const { state, at } of states) {
    const part = state.split('.')[0] as string;
    if (starts.at(-1)?.[0] !== part) starts.push([part, at]);
  }
  const out: Record<string, number> = {};
  starts.forEach(([part, at], i) => {
    const next = starts[i + 1];
    if (next && ['intro', 'part1', 'part2', 'part3'].includes(part)) out[part] = next[1] - at;
  });
  return out;
}

export function formatClock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
