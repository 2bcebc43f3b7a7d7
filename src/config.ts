import { type Static, Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { NOVA_2_VOICES } from './adapters/bedrock/nova-sonic/voices.ts';

/**
 * Every setting of the product, validated once at start-up. Each one is documented in the
 * README's settings table; add it there when you add it here.
 */
/** A string setting with a fixed set of values (plain `enum`, so errors list the choices). */
function oneOf<const T extends readonly string[]>(values: T, fallback: T[number]) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], default: fallback });
}

const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  NODE_ID: Type.String({ minLength: 1, default: 'node-1' }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  AWS_REGION: Type.String({ default: 'us-east-1' }),
  DYNAMODB_ENDPOINT: Type.String({ default: '' }),
  DYNAMODB_LOCAL_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  DYNAMODB_ASSESSMENTS_TABLE: Type.String({
    minLength: 3,
    default: 'ielts-genai-prep-assessments',
  }),
  SPEECH_ENGINE: oneOf(['offline', 'nova-sonic'], 'offline'),
  NOVA_SONIC_REGION: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$', default: 'us-east-1' }),
  NOVA_SONIC_MODEL_ID: Type.String({
    pattern: '^([a-z]+\\.)?amazon\\.nova(-2)?-sonic-v\\d+:\\d+$',
    default: 'amazon.nova-2-sonic-v1:0',
  }),
  NOVA_SONIC_VOICE: oneOf(NOVA_2_VOICES, 'amy'),
  NOVA_SONIC_ENDPOINT: Type.String({ pattern: '^(https?://[^\\s]+)?$', default: '' }),
  NOVA_SONIC_ENDPOINTING: oneOf(['HIGH', 'MEDIUM', 'LOW'], 'LOW'),
  NOVA_SONIC_ROTATE_MS: Type.Integer({ minimum: 1000, maximum: 420_000, default: 360_000 }),
  RECOGNISER: oneOf(['auto', 'pocketsphinx', 'none'], 'auto'),
  TIME_SCALE: Type.Number({ exclusiveMinimum: 0, maximum: 1000, default: 1 }),
  END_OF_TURN_MS: Type.Integer({ minimum: 300, maximum: 10_000, default: 2000 }),
  SUSPEND_GRACE_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 120_000 }),
  LEASE_TTL_MS: Type.Integer({ minimum: 500, maximum: 60_000, default: 2000 }),
  SESSION_TTL_MS: Type.Integer({
    minimum: 60_000,
    maximum: 7 * 86_400_000,
    default: 6 * 3_600_000,
  }),
  ENDED_TTL_MS: Type.Integer({ minimum: 1000, maximum: 30 * 86_400_000, default: 86_400_000 }),
  STREAM_TICKET_TTL_MS: Type.Integer({ minimum: 1000, maximum: 600_000, default: 60_000 }),
  MAX_TEXT_FRAME_BYTES: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 65_536 }),
  QUESTION_SEED: Type.String({ default: '' }),
  XSTATE_INSPECT: oneOf(['', '0', '1'], ''),
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
      .map((e) => {
        const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
        const choices = allowed ? `: ${allowed.filter((v) => v !== '').join(', ')}` : '';
        return `${e.instancePath.slice(1) || '(root)'} ${e.message}${choices}`;
      })
      .join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return candidate as Config;
}

export function inspectionEnabled(config: Config): boolean {
  return config.XSTATE_INSPECT === '1';
}
