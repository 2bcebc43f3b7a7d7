import type { WebSocket } from 'ws';
import { AppError, type ErrorCode, isAppError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ExaminerMetrics } from '../metrics.ts';
import type { ClientMessage, ServerMessage } from '../protocol/messages.ts';
import { parseClientMessage } from '../protocol/parse.ts';
import { AudioOut } from './audio-out.ts';

export interface ChannelHandlers {
  /** A validated control message; may throw an AppError to refuse it. */
  message(message: ClientMessage): void;
  /** Candidate audio (any size up to the frame limit); may throw an AppError to refuse it. */
  audio(pcm: Buffer): void;
  /** The socket went away. */
  closed(): void;
}

const AUDIO_CODES = new Set<ErrorCode>(['AUDIO_BEFORE_START', 'AUDIO_ODD_BYTES']);

/**
 * The candidate's end of a session: whichever socket is attached now, frames validated at the
 * edge, refusals typed and logged, examiner audio paced by the socket's buffer. One per session,
 * so a reconnect swaps the socket and keeps what was already said about bad input.
 */
export class CandidateChannel {
  private socket: WebSocket | null = null;
  private audioOut = new AudioOut(null);
  private readonly warned = new Set<ErrorCode>();
  private handlers: ChannelHandlers | null = null;

  constructor(
    private readonly options: { maxFrameBytes: number; metrics: ExaminerMetrics; log: Logger },
  ) {}

  get attached(): boolean {
    return this.socket !== null;
  }

  attach(socket: WebSocket, handlers: ChannelHandlers): void {
    this.socket = socket;
    this.handlers = handlers;
    this.audioOut = new AudioOut(socket);
    const gone = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.audioOut.detach();
      handlers.closed();
    };
    socket.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary, handlers));
    socket.on('close', gone);
    socket.on('error', (error) => {
      this.options.log.warn({ code: (error as { code?: string }).code }, 'candidate socket error');
      gone();
    });
    // The socket may have closed while the node was admitting it; its close event is past.
    if (socket.readyState !== socket.OPEN) queueMicrotask(gone);
  }

  send(message: ServerMessage): void {
    const socket = this.socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  /** Returns false when the client is too far behind and the audio was refused. */
  sendAudio(pcm: Buffer): boolean {
    return this.audioOut.send(pcm);
  }

  /** Drops examiner audio not yet handed to the socket. */
  clearAudio(): void {
    this.audioOut.clear();
  }

  /** Closes after a moment, so queued audio and the last message leave before the close frame. */
  close(code: number, reason: string): void {
    const socket = this.socket;
    setTimeout(() => socket?.close(code, reason), 50);
  }

  refuse(error: unknown): void {
    const known = isAppError(error);
    const code: ErrorCode = known ? error.code : 'INTERNAL';
    const message = known ? error.message : 'internal error';
    this.options.metrics.protocolErrors.inc({ code });
    // Audio errors repeat at frame rate: tell the client and the log once per session.
    if (AUDIO_CODES.has(code) && this.warned.has(code)) return;
    this.warned.add(code);
    if (known) this.options.log.warn({ code }, 'client input refused');
    else this.options.log.error({ err: error }, 'unexpected error handling a frame');
    this.send({ type: 'error', code, message });
  }

  /** Feeds a frame that arrived before the session was ready for it. */
  replay(data: Buffer, isBinary: boolean): void {
    if (this.handlers) this.onFrame(data, isBinary, this.handlers);
  }

  private onFrame(data: Buffer, isBinary: boolean, handlers: ChannelHandlers): void {
    const limit = this.options.maxFrameBytes;
    try {
      if (data.length > limit) {
        throw new AppError('FRAME_TOO_LARGE', `frames are limited to ${limit} bytes`);
      }
      if (isBinary) handlers.audio(data);
      else handlers.message(parseClientMessage(data.toString('utf8'), limit));
    } catch (error) {
      this.refuse(error);
    }
  }
}
