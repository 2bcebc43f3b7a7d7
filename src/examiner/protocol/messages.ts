import { type Static, Type } from '@sinclair/typebox';

/** Bumped on any change a client must know about; documented in docs/protocol.md. */
export const PROTOCOL_VERSION = 1;

// Client → server text frames.
export const StartMessage = Type.Object(
  { type: Type.Literal('start'), protocol: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export const PingMessage = Type.Object(
  { type: Type.Literal('ping'), id: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export const LeaveMessage = Type.Object(
  { type: Type.Literal('leave') },
  { additionalProperties: false },
);

export const clientMessageSchemas = {
  start: StartMessage,
  ping: PingMessage,
  leave: LeaveMessage,
} as const;

export type ClientMessage =
  | Static<typeof StartMessage>
  | Static<typeof PingMessage>
  | Static<typeof LeaveMessage>;

// Server → client text frames. Typed only: the server builds them, so they need no runtime check.
export interface CueCardPayload {
  id: string;
  title: string;
  prompt: string;
  bullets: string[];
  explain: string;
}

export type ServerMessage =
  | {
      type: 'ready';
      protocol: number;
      sessionId: string;
      resumed: boolean;
      /** Admits the next socket of this session (single use): keep it to reconnect. */
      resumeTicket: string;
    }
  /** The server is going away: reconnect (to any node) with the resume ticket. */
  | { type: 'reconnect'; reason: string }
  | {
      type: 'state';
      state: string;
      part: string | null;
      deadline: number | null;
      timeLeftMs: number | null;
      at: number;
    }
  | { type: 'caption'; speaker: 'examiner'; lineId: string; text: string }
  | { type: 'cue_card'; card: CueCardPayload; preparationMs: number }
  /** Whether the examiner is waiting for the candidate to speak (a "speak now" cue). */
  | { type: 'listening'; on: boolean }
  /** Drop examiner audio not yet played: the candidate spoke over it, or it will be said again. */
  | { type: 'clear_audio' }
  | { type: 'turn'; event: 'started' | 'stopped'; turnId?: number; speechMs?: number }
  | {
      type: 'transcript';
      turnId: number;
      status: 'final' | 'unavailable';
      text: string | null;
      speechMs: number;
    }
  | { type: 'result'; assessmentId: string; result: unknown }
  | { type: 'pong'; id?: string }
  | { type: 'error'; code: string; message: string };
