/**
 * Every error a client can see has a stable code. Codes never change meaning; add new ones.
 */
export const ErrorCodes = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  TICKET_INVALID: 401,
  TICKET_EXPIRED: 401,
  SESSION_BUSY: 409,
  SESSION_ENDED: 410,
  INVALID_JSON: 400,
  INVALID_MESSAGE: 400,
  UNKNOWN_MESSAGE_TYPE: 400,
  FRAME_TOO_LARGE: 413,
  AUDIO_BEFORE_START: 409,
  AUDIO_ODD_BYTES: 400,
  ALREADY_STARTED: 409,
  NOT_STARTED: 409,
  PROTOCOL_UNSUPPORTED: 400,
  SUSPEND_EXPIRED: 410,
  ABORTED: 410,
  SESSION_MOVED: 409,
  CHECKPOINT_CORRUPT: 500,
  CHECKPOINT_INCOMPATIBLE: 409,
  CHECKPOINT_UNAVAILABLE: 503,
  ENGINE_FAILED: 502,
  SCORING_FAILED: 502,
  STORE_FAILED: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = ErrorCodes[code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
