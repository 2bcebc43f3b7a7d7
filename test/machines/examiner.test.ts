import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { timeLeft } from '../../machines/examiner/index.ts';
import { firstVisit, startExaminer } from '../support/examiner-harness.ts';

const MIN = 60_000;
const done = (h: ReturnType<typeof startExaminer>) => () =>
  h.state() === 'done' || h.state() === 'failed';
const pathAt = (h: ReturnType<typeof startExaminer>, suffix: string) =>
  h.paths.find((p) => p.path.endsWith(suffix))?.at;

describe('examiner statechart on a simulated clock', () => {
  it('runs a whole test through every part in order, within 14 minutes', async () => {
    const h = startExaminer({
      candidate: {
        startAfterMs: () => 800,
        answerMs: (s) => (s.includes('talking') ? 70_000 : 12_000),
      },
    });
    const took = await h.advanceUntil(done(h));
    expect(h.state()).toBe('done');
    expect(h.visits.map((v) => v.state)).toEqual([
      'intro',
      'part1',
      'part2.cueCard',
      'part2.preparing',
      'part2.speaking',
      'part2.roundingOff',
      'part3',
      'closing',
      'scoring',
      'done',
    ]);
    expect(took).toBeLessThanOrEqual(14 * MIN);
    expect(h.actor.getSnapshot().context.result).toEqual({ overall: 6 });
    expect(h.actor.getSnapshot().context.examinerTurns).toBeGreaterThanOrEqual(12);
    expect(h.actor.getSnapshot().context.candidateTurns).toBeGreaterThanOrEqual(10);
  });

  it('moves Part 1 on at exactly 5:00 when the candidate is still answering', async () => {
    const h = startExaminer({ candidate: { startAfterMs: () => 500, answerMs: () => 40_000 } });
    await h.advanceUntil(() => h.state() === 'part2.cueCard');
    const part1 = firstVisit(h.visits, 'part1') ?? Number.NaN;
    expect(firstVisit(h.visits, 'part2.cueCard')).toBe(part1 + 5 * MIN);
  });

  it('gives exactly 60 s of preparation and stops the long turn at 2:00', async () => {
    const h = startExaminer();
    await h.advanceUntil(() => h.path().endsWith('stopping'));
    const prep = firstVisit(h.visits, 'part2.preparing') ?? Number.NaN;
    expect(firstVisit(h.visits, 'part2.speaking')).toBe(prep + 60_000);
    const talking = pathAt(h, 'speaking.talking') ?? Number.NaN;
    expect(pathAt(h, 'speaking.stopping')).toBe(talking + 2 * MIN);
    expect(h.spoken.at(-1)).toBe('part2.stop');
  });

  it('skips rounding-off once Part 2 has passed 3:00', async () => {
    const h = startExaminer();
    await h.advanceUntil(() => h.state() === 'part3');
    const part2 = firstVisit(h.visits, 'part2.cueCard') ?? Number.NaN;
    expect(firstVisit(h.visits, 'part3') ?? 0).toBeGreaterThan(part2 + 3 * MIN);
    expect(h.visits.map((v) => v.state)).not.toContain('part2.roundingOff');
  });

  it('asks rounding-off questions when the long turn ends early, and nudges a short one once', async () => {
    const h = startExaminer({
      candidate: {
        startAfterMs: () => 500,
        answerMs: (s) => (s.includes('talking') ? 30_000 : 5000),
      },
    });
    await h.advanceUntil(() => h.state() === 'part3');
    expect(h.spoken).toContain('part2.nudge');
    expect(h.spoken.filter((id) => id === 'part2.nudge')).toHaveLength(1);
    expect(h.spoken).toContain('part2.round.0');
  });

  it('ends Part 3 by 5:00 and the whole test within 14:00 for a long-winded candidate', async () => {
    const h = startExaminer({ candidate: { startAfterMs: () => 500, answerMs: () => 50_000 } });
    const took = await h.advanceUntil(done(h));
    const part3 = firstVisit(h.visits, 'part3') ?? Number.NaN;
    expect(firstVisit(h.visits, 'closing') ?? Infinity).toBeLessThanOrEqual(part3 + 5 * MIN);
    expect(took).toBeLessThanOrEqual(14 * MIN);
    expect(h.state()).toBe('done');
  });

  it('moves on when the candidate does not answer within the wait', async () => {
    const h = startExaminer({ candidate: { startAfterMs: () => null, answerMs: () => 0 } });
    await h.advanceUntil(() => h.spoken.includes('intro.1'));
    const askedFirst = 0;
    // intro.0 takes 3 s to say, then the examiner waits 15 s for an answer.
    expect(h.clock.now() - askedFirst).toBe(3000 + 15_000);
    expect(h.actor.getSnapshot().context.candidateTurns).toBe(0);
  });

  it('freezes time left while suspended and resumes with the same time left', async () => {
    const h = startExaminer();
    await h.advanceUntil(() => h.state() === 'part2.preparing');
    await h.advance(20_000);
    const before = timeLeft(h.actor.getSnapshot().context, h.state(), h.clock.now());
    expect(before.timeLeftMs).toBe(40_000);
    h.actor.send({ type: 'SUSPEND', at: h.clock.now() });
    await h.advance(90_000);
    expect(h.state()).toBe('suspended');
    const frozen = timeLeft(h.actor.getSnapshot().context, 'part2.preparing', h.clock.now());
    expect(frozen.timeLeftMs).toBe(40_000);
    h.actor.send({ type: 'RESUME', at: h.clock.now() });
    expect(h.state()).toBe('part2.preparing');
    expect(timeLeft(h.actor.getSnapshot().context, h.state(), h.clock.now()).timeLeftMs).toBe(
      40_000,
    );
    await h.advance(39_900);
    expect(h.state()).toBe('part2.preparing');
    await h.advance(100);
    expect(h.state()).toBe('part2.speaking');
  });

  it('fails the test when the candidate stays away past the grace period', async () => {
    const h = startExaminer();
    await h.advanceUntil(() => h.state() === 'part1');
    h.actor.send({ type: 'SUSPEND', at: h.clock.now() });
    await h.advance(2 * MIN);
    expect(h.state()).toBe('failed');
    expect(h.actor.getSnapshot().context.failure?.code).toBe('SUSPEND_EXPIRED');
  });

  it('restores a snapshot taken mid-preparation, JSON round-tripped, with the same time left', async () => {
    const h = startExaminer();
    await h.advanceUntil(() => h.state() === 'part2.preparing');
    await h.advance(25_000);
    const persisted = JSON.parse(JSON.stringify(h.actor.getPersistedSnapshot()));
    const leftBefore = timeLeft(h.actor.getSnapshot().context, h.state(), h.clock.now());
    h.actor.stop();

    const restored = startExaminer({ clock: h.clock, snapshot: persisted });
    expect(restored.state()).toBe('part2.preparing');
    const leftAfter = timeLeft(
      restored.actor.getSnapshot().context,
      restored.state(),
      h.clock.now(),
    );
    expect(leftAfter).toEqual(leftBefore);
    expect(leftAfter.timeLeftMs).toBe(35_000);
    await restored.advance(34_900);
    expect(restored.state()).toBe('part2.preparing');
    await restored.advance(100);
    expect(restored.state()).toBe('part2.speaking');
    await restored.advanceUntil(done(restored));
    expect(restored.state()).toBe('done');
  });

  it('fails with a typed code when scoring fails, and on an engine abort', async () => {
    const h = startExaminer({ score: async () => Promise.reject(new Error('down')) });
    await h.advanceUntil(done(h));
    expect(h.actor.getSnapshot().context.failure?.code).toBe('SCORING_FAILED');

    const a = startExaminer();
    a.actor.send({ type: 'ABORT', at: 0, code: 'ENGINE_FAILED', message: 'gone' });
    expect(a.state()).toBe('failed');
    expect(a.actor.getSnapshot().context.failure).toEqual({
      code: 'ENGINE_FAILED',
      message: 'gone',
    });
  });

  it('keeps context plain JSON', async () => {
    const h = startExaminer();
    await h.advanceUntil(() => h.state() === 'part1');
    const ctx = h.actor.getSnapshot().context;
    expect(JSON.parse(JSON.stringify(ctx))).toEqual(ctx);
    expect(createActor).toBeTypeOf('function');
  });
});
