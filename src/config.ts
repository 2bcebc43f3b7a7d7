import { type Static, Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';

/**
 * Every setting of the product, validated once at start-up. Each one is documented in the
 * README's settings table; add it there when you add it here.
 */
const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  NODE_ID: Type.String({ minLength: 1, default: 'node-1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  AWS_REGION: Type.String({ default: 'us-east-1' }),
  DYNAMODB_ENDPOINT: Type.String({ default: '' }),
  DYNAMODB_LOCAL_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  DYNAMODB_ASSESSMENTS_TABLE: Type.String({
    minLength: 3,
    default: 'ielts-genai-prep-assessments',
  }),
  SPEECH_ENGINE: Type.Union([Type.Literal('offline')], { default: 'offline' }),
  RECOGNISER: Type.Union(
    [Type.Literal('auto'), Type.Literal('pocketsphinx'), Type.Literal('none')],
    {
      default: 'auto',
    },
  ),
  TIME_SCALE: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 1 }),
  END_OF_TURN_MS: Type.Integer({ minimum: 300, maximum: 10_000, default: 2000 }),
  SUSPEND_GRACE_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 120_000 }),
  STREAM_TICKET_TTL_MS: Type.Integer({ minimum: 1000, maximum: 600_000, default: 60_000 }),
  MAX_TEXT_FRAME_BYTES: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 65_536 }),
  QUESTION_SEED: Type.String({ default: '' }),
  XSTATE_INSPECT: Type.Union([Type.Literal(''), Type.Literal('0'), Type.Literal('1')], {
    default: '',
  }),
  XSTATE_INSPECT_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8090 }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const validate = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true }).compile(
  ConfigSchema,
);

/** Reads settings from an environment-like record; unknown keys are ignored. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const candidate: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') candidate[key] = value;
  }
  if (!validate(candidate)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${e.instancePath.slice(1) || '(root)'} ${e.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return candidate as Config;
}

export function inspectionEnabled(config: Config): boolean {
  return config.XSTATE_INSPECT === '1';
}
