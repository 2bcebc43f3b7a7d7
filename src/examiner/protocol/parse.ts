import { Ajv, type ValidateFunction } from 'ajv';
import { AppError } from '../../errors.ts';
import { type ClientMessage, clientMessageSchemas } from './messages.ts';

const ajv = new Ajv({ allErrors: false, strict: true });
const validators = Object.fromEntries(
  Object.entries(clientMessageSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
) as Record<string, ValidateFunction>;

/**
 * Validates one text frame at the edge. Throws an AppError with a stable code; never returns an
 * unchecked message.
 */
export function parseClientMessage(text: string, maxBytes: number): ClientMessage {
  if (Buffer.byteLength(text) > maxBytes) {
    throw new AppError('FRAME_TOO_LARGE', `text frames are limited to ${maxBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_JSON', 'text frames must be JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('INVALID_MESSAGE', 'a message must be a JSON object with a type');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    throw new AppError('INVALID_MESSAGE', 'a message must have a string type');
  }
  const validate = Object.hasOwn(validators, type) ? validators[type] : undefined;
  if (!validate) throw new AppError('UNKNOWN_MESSAGE_TYPE', 'unknown message type');
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first ? `${first.instancePath || '/'} ${first.message ?? ''}`.trim() : '';
    throw new AppError('INVALID_MESSAGE', `invalid ${type} message: ${where}`);
  }
  return value as ClientMessage;
}
