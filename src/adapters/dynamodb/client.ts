import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** An empty string means "no endpoint", matching the DYNAMODB_ENDPOINT setting's default. */
  endpoint?: string;
  maxAttempts?: number;
  /** Bounds connection and request time; unset leaves the SDK defaults (no timeout). */
  timeoutMs?: number;
}

export function createDocumentClient(options: DynamoClientOptions): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = { region: options.region };
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    // A local endpoint ignores signatures; fixed credentials keep the SDK from walking the
    // credential chain (env, files, instance metadata), which is slow or fails off AWS.
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (options.timeoutMs !== undefined) {
    config.requestHandler = {
      connectionTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      throwOnRequestTimeout: true,
    };
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
