import { describe, expect, it } from 'vitest';
import {
  cueCards,
  frames,
  type Part1Topic,
  part1Topics,
  selectTestPlan,
  type TestPlan,
} from '../../src/domain/question-bank/index.ts';

function familiesOf(plan: TestPlan): string[] {
  return [plan.frame.family, ...plan.part1Topics.map((t) => t.family), plan.cueCard.family];
}

const allPart1: Part1Topic[] = [...frames, ...part1Topics];
const seeds = Array.from({ length: 200 }, (_, i) => `seed-${i}`);

describe('question bank content', () => {
  it('has enough material', () => {
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(part1Topics.length).toBeGreaterThanOrEqual(8);
    expect(cueCards.length).toBeGreaterThanOrEqual(20);
  });

  it('uses unique ids everywhere', () => {
    const ids = [
      ...allPart1.map((t) => t.id),
      ...cueCards.map((c) => c.id),
      ...cueCards.flatMap((c) => c.part3.map((t) => t.id)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every Part 1 topic and frame an intro and 3-4 questions', () => {
    for (const topic of allPart1) {
      expect(topic.intro, topic.id).not.toBe('');
      expect(topic.family, topic.id).not.toBe('');
      expect(topic.questions.length, topic.id).toBeGreaterThanOrEqual(3);
      expect(topic.questions.length, topic.id).toBeLessThanOrEqual(4);
    }
  });

  it('keeps frames apart from Part 1 topics and cue cards', () => {
    const frameFamilies = new Set(frames.map((f) => f.family));
    for (const item of [...part1Topics, ...cueCards]) {
      expect(frameFamilies.has(item.family), item.id).toBe(false);
    }
  });

  it('shapes every cue card like an IELTS Part 2 card', () => {
    for (const card of cueCards) {
      expect(card.prompt.startsWith('Describe'), card.id).toBe(true);
      expect(card.bullets, card.id).toHaveLength(3);
      expect(card.explain.startsWith('and explain'), card.id).toBe(true);
      expect(card.roundingOff, card.id).toHaveLength(2);
      expect(card.part3, card.id).toHaveLength(2);
      for (const theme of card.part3) {
        expect(theme.questions.length, theme.id).toBeGreaterThanOrEqual(4);
        expect(theme.questions.length, theme.id).toBeLessThanOrEqual(5);
      }
    }
  });

  it('ends every question with a question mark', () => {
    const questions = [
      ...allPart1.flatMap((t) => t.questions),
      ...cueCards.flatMap((c) => [...c.roundingOff, ...c.part3.flatMap((t) => t.questions)]),
    ];
    for (const q of questions) expect(q.endsWith('?'), q).toBe(true);
  });
});

describe('selectTestPlan', () => {
  it('returns the same plan for the same seed', () => {
    expect(selectTestPlan('candidate-42')).toEqual(selectTestPlan('candidate-42'));
  });

  it('links Part 3 to the chosen cue card', () => {
    const plan = selectTestPlan('linked');
    expect(plan.part3).toEqual(plan.cueCard.part3);
    expect(plan.seed).toBe('linked');
  });

  it('never repeats a family within a test', () => {
    for (const seed of seeds) {
      const families = familiesOf(selectTestPlan(seed));
      expect(new Set(families).size, seed).toBe(families.length);
    }
  });

  it('varies the plan with the seed', () => {
    const plans = seeds.map(selectTestPlan);
    const cards = new Set(plans.map((p) => p.cueCard.id));
    const topics = new Set(plans.flatMap((p) => p.part1Topics.map((t) => t.id)));
    const planFrames = new Set(plans.map((p) => p.frame.id));
    expect(cards.size).toBeGreaterThanOrEqual(15);
    expect(topics.size).toBeGreaterThanOrEqual(8);
    expect(planFrames.size).toBeGreaterThanOrEqual(3);
  });

  it('produces plain JSON', () => {
    const plan = selectTestPlan('json');
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('does not let a caller alter the bank through its plan', () => {
    const plan = selectTestPlan('mutate');
    const original = cueCards.find((c) => c.id === plan.cueCard.id);
    plan.cueCard.roundingOff[0] = 'changed?';
    expect(original?.roundingOff[0]).not.toBe('changed?');
  });
});
