import type { SpeakingResult } from './scorer.ts';

export interface StoredAssessment {
  /** Equal to the session id for speaking tests, so a repeated write is the same item. */
  assessmentId: string;
  candidateId: string;
  kind: 'speaking';
  createdAt: string;
  result: SpeakingResult;
}

/** The AssessmentStore port: DynamoDB in production, dynalite locally. */
export interface AssessmentStore {
  /** Idempotent: writing the same assessment id twice keeps the first. */
  put(assessment: StoredAssessment): Promise<{ created: boolean }>;
  get(assessmentId: string): Promise<StoredAssessment | null>;
}
