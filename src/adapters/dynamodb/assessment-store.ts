import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AssessmentStore, StoredAssessment } from '../../domain/ports/assessment-store.ts';
import { AppError } from '../../errors.ts';
import { assessmentsTable } from './tables.ts';

const byCandidate = assessmentsTable.globalSecondaryIndexes[0];

export class DynamoAssessmentStore implements AssessmentStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async put(assessment: StoredAssessment): Promise<{ created: boolean }> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: assessment,
          // First write wins: a scoring call re-run after a crash restore must not replace the
          // result the candidate may already have seen.
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': assessmentsTable.partitionKey.name },
        }),
      );
      return { created: true };
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
        return { created: false };
      }
      throw storeFailed(error);
    }
  }

  async get(assessmentId: string): Promise<StoredAssessment | null> {
    try {
      const { Item } = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { [assessmentsTable.partitionKey.name]: assessmentId },
          // A result is read right after the scoring write; an eventually consistent read could
          // miss it and report "not found".
          ConsistentRead: true,
        }),
      );
      return (Item as StoredAssessment | undefined) ?? null;
    } catch (error) {
      throw storeFailed(error);
    }
  }

  /** Newest first. Index reads are eventually consistent, so a just-written item may lag. */
  async listByCandidate(candidateId: string, limit = 20): Promise<StoredAssessment[]> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new AppError('BAD_REQUEST', 'limit must be a positive integer');
    }
    try {
      const { Items } = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: byCandidate.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': byCandidate.partitionKey.name },
          ExpressionAttributeValues: { ':pk': candidateId },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (Items ?? []) as StoredAssessment[];
    } catch (error) {
      throw storeFailed(error);
    }
  }
}

function storeFailed(cause: unknown): AppError {
  return new AppError('STORE_FAILED', 'assessment store unavailable', { cause });
}
