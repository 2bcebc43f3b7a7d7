import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';
import { type TableDef, type TableSettingKey, tableName, toCreateTableInput } from './tables.ts';

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}

// dynalite ships no type declarations, and a typed require keeps the one untyped call in here.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/** An in-memory DynamoDB on loopback; port 0 picks a free port. */
export async function startLocalDynamo(port = 0): Promise<LocalDynamo> {
  // Zero delays: tables are usable at once instead of after dynalite's simulated 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // dynalite's close also shuts its LevelDB store; Node closes idle keep-alive sockets.
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const ACTIVE_WAIT_MS = 10_000;
const POLL_MS = 25;

/** Creates the tables that are missing and waits until every one is ACTIVE. */
export async function ensureTables(
  client: DynamoDBDocumentClient,
  defs: readonly TableDef[],
  settings: Pick<Config, TableSettingKey>,
): Promise<void> {
  for (const def of defs) {
    const name = tableName(settings, def);
    try {
      await client.send(new CreateTableCommand(toCreateTableInput(def, name)));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
    }
    await waitForActive(client, name);
  }
}

async function waitForActive(client: DynamoDBDocumentClient, name: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_WAIT_MS;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline)
      throw new Error(`table ${name} not ACTIVE after ${ACTIVE_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
