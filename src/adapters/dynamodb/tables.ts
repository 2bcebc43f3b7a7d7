import type { AttributeDefinition, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { Config } from '../../config.ts';

/**
 * Table definitions as plain data, kept free of CDK and SDK types so the infrastructure code and
 * the local dynalite set-up build the same tables from one source.
 */

export type TableSettingKey = Extract<keyof Config, `DYNAMODB_${string}_TABLE`>;

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

export interface GlobalSecondaryIndexDef {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableDef {
  /** The setting holding the table name, so each environment can name its tables. */
  readonly settingKey: TableSettingKey;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDef[];
  /** Applied by the infrastructure only: dynalite has no UpdateTimeToLive. */
  readonly ttlAttribute?: string;
}

export const assessmentsTable = {
  settingKey: 'DYNAMODB_ASSESSMENTS_TABLE',
  partitionKey: { name: 'assessmentId', type: 'S' },
  globalSecondaryIndexes: [
    {
      name: 'byCandidate',
      partitionKey: { name: 'candidateId', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies TableDef;

export const allTables: readonly TableDef[] = [assessmentsTable];

export function tableName(settings: Pick<Config, TableSettingKey>, def: TableDef): string {
  return settings[def.settingKey];
}

export function toCreateTableInput(def: TableDef, name: string): CreateTableCommandInput {
  // DynamoDB rejects a CreateTable that defines one attribute twice or defines an unused one, so
  // the definitions are exactly the distinct key attributes of the table and its indexes.
  const attributes = new Map<string, AttributeDefinition>();
  const addKey = (key: KeyAttribute | undefined): void => {
    if (key && !attributes.has(key.name)) {
      attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
    }
  };
  addKey(def.partitionKey);
  addKey(def.sortKey);
  for (const index of def.globalSecondaryIndexes) {
    addKey(index.partitionKey);
    addKey(index.sortKey);
  }

  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(def.partitionKey, def.sortKey),
  };
  if (def.globalSecondaryIndexes.length > 0) {
    input.GlobalSecondaryIndexes = def.globalSecondaryIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: index.projection },
    }));
  }
  return input;
}

function keySchema(partition: KeyAttribute, sort: KeyAttribute | undefined) {
  return [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
}
