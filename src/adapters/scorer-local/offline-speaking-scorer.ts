import { roundBand } from '../../domain/bands.ts';
import { fluencyMeasures } from '../../domain/fluency.ts';
import type {
  CriterionScore,
  Scorer,
  SpeakingMeasures,
  SpeakingResult,
  SpeakingScoreInput,
} from '../../domain/ports/scorer.ts';

export const OFFLINE_SPEAKING_SCORER_VERSION = 'offline-fluency-0.1';

const NOT_MEASURED: CriterionScore = {
  band: null,
  feedback:
    'Not measured by the offline engine: this criterion needs a transcript-based scorer, ' +
    'which this estimate does not have.',
  evidence: [],
};

/**
 * Fluency bands from run length (the strongest timing signal of fluency), lowered for long or
 * frequent pauses. Thresholds are a first, uncalibrated estimate and are labelled as such.
 */
export function fluencyBand(m: SpeakingMeasures): number {
  if (m.speakingTimeMs === 0) return 0;
  if (m.speakingTimeMs < 30_000) return Math.min(3, runBand(m.meanLengthOfRunMs));
  let band = runBand(m.meanLengthOfRunMs);
  if (m.meanPauseMs > 1200) band -= 1;
  if (m.pausesPerMinute > 20) band -= 1;
  return Math.max(1, Math.min(9, band));
}

function runBand(mlrMs: number): number {
  const steps: Array<[number, number]> = [
    [1500, 4],
    [2500, 5],
    [4000, 6],
    [6000, 7],
    [9000, 8],
  ];
  for (const [limit, band] of steps) if (mlrMs < limit) return band;
  return 9;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The embedded Scorer: an honest fluency-only estimate from the audio the service measured. */
export class OfflineSpeakingScorer implements Scorer {
  async scoreSpeaking(input: SpeakingScoreInput): Promise<SpeakingResult> {
    const measures = fluencyMeasures(input.turns);
    const band = fluencyBand(measures);
    const fc: CriterionScore = {
      band,
      feedback:
        band >= 7
          ? 'You spoke at length with few long hesitations.'
          : band >= 5
            ? 'You kept going, but pauses often broke up what you said.'
            : 'Your answers were short or often interrupted by pauses.',
      evidence: [
        `spoke for ${seconds(measures.speakingTimeMs)} over ${measures.turns} turns`,
        `mean length of run ${seconds(measures.meanLengthOfRunMs)}`,
        `${measures.pausesPerMinute} pauses per minute, ${measures.meanPauseMs} ms on average`,
      ],
    };
    return {
      kind: 'speaking',
      estimate: true,
      overall: roundBand(band),
      rawMean: band,
      criteria: { FC: fc, LR: NOT_MEASURED, GRA: NOT_MEASURED, P: NOT_MEASURED },
      basis: ['FC'],
      notMeasured: [
        'Lexical Resource, Grammatical Range and Accuracy and Pronunciation (need a transcript scorer)',
        'coherence of content (timing alone cannot show it)',
      ],
      measures,
      engine: 'offline',
      scorerVersion: OFFLINE_SPEAKING_SCORER_VERSION,
    };
  }
}
