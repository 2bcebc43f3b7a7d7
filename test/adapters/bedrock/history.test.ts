import { describe, expect, it } from 'vitest';
import {
  MAX_HISTORY_BYTES,
  MAX_TEXT_INPUT_BYTES,
  sanitiseHistory,
  splitUtf8,
} from '../../../src/adapters/bedrock/nova-sonic/history.ts';
import { sameLine } from '../../../src/adapters/bedrock/nova-sonic/line-request.ts';

describe('Nova Sonic history', () => {
  it('merges turns of one role, starts with USER and drops empty turns', () => {
    const history = sanitiseHistory([
      { role: 'ASSISTANT', text: 'Hello. What is your name?' },
      { role: 'USER', text: 'Maria.' },
      { role: 'USER', text: 'Maria Costa.' },
      { role: 'ASSISTANT', text: '  ' },
      { role: 'ASSISTANT', text: 'Where are you from?' },
    ]);
    expect(history).toEqual([
      { role: 'USER', parts: ['Maria. Maria Costa.'] },
      { role: 'ASSISTANT', parts: ['Where are you from?'] },
    ]);
  });

  it('keeps every textInput within 1 KB and the whole history within 40 KB, newest kept', () => {
    const long = 'word '.repeat(600);
    const turns = Array.from({ length: 40 }, (_, i) => ({
      role: (i % 2 === 0 ? 'USER' : 'ASSISTANT') as 'USER' | 'ASSISTANT',
      text: `${i} ${long}`,
    }));
    const history = sanitiseHistory(turns);
    const parts = history.flatMap((t) => t.parts);
    expect(Math.max(...parts.map((p) => Buffer.byteLength(p)))).toBeLessThanOrEqual(
      MAX_TEXT_INPUT_BYTES,
    );
    const total = parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
    expect(total).toBeLessThanOrEqual(MAX_HISTORY_BYTES);
    expect(history[0]?.role).toBe('USER');
    expect(history.at(-1)?.parts[0]?.startsWith('39 ')).toBe(true);
  });

  it('splits text on UTF-8 bytes, cutting an over-long word by characters', () => {
    const parts = splitUtf8(`é${'é'.repeat(700)} end`, 100);
    expect(parts.every((p) => Buffer.byteLength(p) <= 100)).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe(`é${'é'.repeat(700)}end`);
  });

  it('recognises the line it asked for and refuses an unsolicited reply', () => {
    const asked = 'And where are you from?';
    expect(sameLine('And where are you from?', asked)).toBe(true);
    expect(sameLine('Where are you from?', asked)).toBe(true);
    expect(sameLine('I see, that is interesting.', asked)).toBe(false);
    expect(sameLine('', asked)).toBe(false);
  });
});
