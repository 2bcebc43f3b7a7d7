import { describe, expect, it } from 'vitest';
import { TurnDetector, type TurnEvent } from '../../src/domain/turn-detector.ts';
import { silence, sine, splitArbitrarily } from '../adapters/speech-local/fixtures.ts';

function feed(detector: TurnDetector, ...parts: Buffer[]): TurnEvent[] {
  return parts.flatMap((part) => detector.push(part));
}

/** 300 ms lead-in, 1 s speech, a 400 ms pause, 600 ms speech, a 100 ms gap, 300 ms speech. */
const answer = () => [silence(300), sine(1000), silence(400), sine(600), silence(100), sine(300)];

describe('TurnDetector', () => {
  it('reports onset, pauses, runs and the end of the turn', () => {
    const detector = new TurnDetector();
    const events = feed(detector, ...answer(), silence(2000));
    expect(events).toEqual([
      { type: 'started', offsetMs: 300 },
      {
        type: 'ended',
        offsetMs: 4700,
        stats: {
          startMs: 300,
          endMs: 2700,
          speechMs: 2000,
          pauseCount: 1,
          pauseMs: 400,
          runsMs: [1000, 1000],
        },
      },
    ]);
    expect(detector.inTurn).toBe(false);
  });

  it('needs 100 ms of loud audio to start a turn', () => {
    const detector = new TurnDetector();
    expect(feed(detector, sine(80), silence(200), sine(60))).toEqual([]);
    expect(detector.inTurn).toBe(false);
    expect(feed(detector, silence(20), sine(100))).toEqual([{ type: 'started', offsetMs: 360 }]);
    expect(detector.inTurn).toBe(true);
  });

  it('ignores quiet background noise', () => {
    const detector = new TurnDetector();
    expect(feed(detector, sine(3000, { amplitude: 200 }))).toEqual([]);
  });

  it('ends the turn after exactly the configured silence', () => {
    for (const endOfTurnMs of [700, 2000]) {
      const detector = new TurnDetector({ endOfTurnMs });
      feed(detector, sine(500));
      expect(feed(detector, silence(endOfTurnMs - 20))).toEqual([]);
      expect(detector.inTurn).toBe(true);
      const [ended] = feed(detector, silence(20));
      expect(ended).toMatchObject({ type: 'ended', offsetMs: 500 + endOfTurnMs });
    }
  });

  it('does not count the final silence or gaps under 250 ms as pauses', () => {
    const detector = new TurnDetector({ endOfTurnMs: 1000 });
    const events = feed(detector, sine(400), silence(240), sine(400), silence(260), sine(400));
    const ended = feed(detector, silence(1000)).at(-1);
    expect(events).toHaveLength(1);
    expect(ended).toMatchObject({
      type: 'ended',
      stats: { speechMs: 1440, pauseCount: 1, pauseMs: 260, runsMs: [1040, 400] },
    });
  });

  it('gives the same result for arbitrary frame sizes as for one buffer', () => {
    const audio = Buffer.concat([...answer(), silence(2000), sine(500), silence(2100)]);
    const whole = feed(new TurnDetector(), audio);
    expect(whole.map((event) => event.type)).toEqual(['started', 'ended', 'started', 'ended']);
    for (const seed of [1, 7, 42]) {
      expect(feed(new TurnDetector(), ...splitArbitrarily(audio, seed))).toEqual(whole);
    }
    const bytewise: Buffer[] = [];
    for (let i = 0; i < audio.length; i += 333) bytewise.push(audio.subarray(i, i + 333));
    expect(feed(new TurnDetector(), ...bytewise)).toEqual(whole);
  });

  it('forgets a turn in progress on reset and restarts its offsets', () => {
    const detector = new TurnDetector();
    feed(detector, silence(100), sine(500));
    detector.reset();
    expect(detector.inTurn).toBe(false);
    expect(detector.offsetMs).toBe(0);
    expect(feed(detector, silence(2500))).toEqual([]);
    expect(feed(detector, sine(200))).toEqual([{ type: 'started', offsetMs: 2500 }]);
  });
});
