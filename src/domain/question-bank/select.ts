import { cueCards } from './cue-cards.ts';
import { frames } from './frames.ts';
import { part1Topics } from './part1-topics.ts';
import type { Part1Topic, TestPlan } from './types.ts';

/**
 * cyrb128: turns any string into four 32-bit seeds. Hashing the seed string (rather than parsing
 * it) lets callers use session ids or any other text as a seed.
 */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32: small, fast and fully determined by its seed, so a plan can be rebuilt from the seed. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], rand: () => number, what: string): T {
  const item = items[Math.floor(rand() * items.length)];
  // Only reachable if the bank data can no longer satisfy the no-repeat rule; fail loudly.
  if (item === undefined) throw new Error(`question bank has no eligible ${what}`);
  return item;
}

/**
 * Builds the questions for one speaking test. The same seed always yields the same plan, so a
 * test can be resumed or audited from its seed alone. No family appears twice in a plan: the
 * cue card is chosen first, then the Part 1 topics avoid its family and each other's.
 */
export function selectTestPlan(seed: string): TestPlan {
  const rand = sfc32(...cyrb128(seed));
  const frame = pick(frames, rand, 'frame');
  const cueCard = pick(
    cueCards.filter((c) => c.family !== frame.family),
    rand,
    'cue card',
  );
  const used = new Set([frame.family, cueCard.family]);
  const first: Part1Topic = pick(
    part1Topics.filter((t) => !used.has(t.family)),
    rand,
    'Part 1 topic',
  );
  used.add(first.family);
  const second: Part1Topic = pick(
    part1Topics.filter((t) => !used.has(t.family)),
    rand,
    'second Part 1 topic',
  );
  const plan: TestPlan = {
    seed,
    frame,
    part1Topics: [first, second],
    cueCard,
    part3: [...cueCard.part3],
  };
  // Cloned so a caller editing its plan cannot alter the shared bank for later tests.
  return structuredClone(plan);
}
