import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { LiveSession } from './live-session.ts';
import { newTicket, ticketMatches } from './tickets.ts';

/** How long after its ticket expired a never-started session may still get a new ticket. */
const UNSTARTED_KEEP_MS = 10 * 60_000;

interface Entry {
  candidateId: string;
  ticketHash: Buffer;
  ticketExpiresAt: number;
  live: LiveSession;
}

/** The speaking sessions this node holds, and the tickets that let a socket join one. */
export class SessionRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ticketTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  create(
    candidateId: string,
    makeLive: (sessionId: string) => LiveSession,
  ): { sessionId: string; ticket: string; ticketExpiresAt: number } {
    this.pruneUnstarted();
    const sessionId = randomUUID();
    const { ticket, hash } = newTicket();
    const ticketExpiresAt = this.now() + this.ticketTtlMs;
    this.entries.set(sessionId, {
      candidateId,
      ticketHash: hash,
      ticketExpiresAt,
      live: makeLive(sessionId),
    });
    return { sessionId, ticket, ticketExpiresAt };
  }

  /** A fresh ticket for the same candidate, e.g. to reconnect after the first one expired. */
  reissue(sessionId: string, candidateId: string): { ticket: string; ticketExpiresAt: number } {
    const entry = this.entries.get(sessionId);
    if (!entry || entry.candidateId !== candidateId) {
      throw new AppError('SESSION_NOT_FOUND', 'no such speaking session');
    }
    if (entry.live.isEnded) throw new AppError('SESSION_ENDED', 'the speaking session has ended');
    const { ticket, hash } = newTicket();
    entry.ticketHash = hash;
    entry.ticketExpiresAt = this.now() + this.ticketTtlMs;
    return { ticket, ticketExpiresAt: entry.ticketExpiresAt };
  }

  /** Checks a socket's ticket; the session must be free of another socket. */
  admit(sessionId: string, ticket: string | undefined): LiveSession {
    const entry = this.entries.get(sessionId);
    if (!entry) throw new AppError('SESSION_NOT_FOUND', 'no such speaking session');
    if (!ticket || !ticketMatches(ticket, entry.ticketHash)) {
      throw new AppError('TICKET_INVALID', 'the stream ticket is not valid for this session');
    }
    if (this.now() > entry.ticketExpiresAt) {
      throw new AppError('TICKET_EXPIRED', 'the stream ticket has expired; ask for a new one');
    }
    if (entry.live.isEnded) throw new AppError('SESSION_ENDED', 'the speaking session has ended');
    if (entry.live.attached) {
      throw new AppError('SESSION_BUSY', 'another connection is already streaming this session');
    }
    return entry.live;
  }

  /**
   * Sessions nobody ever started would otherwise stay forever; sweeping on create keeps memory
   * bounded by the creation rate.
   */
  private pruneUnstarted(): void {
    const cutoff = this.now() - UNSTARTED_KEEP_MS;
    for (const [id, entry] of this.entries) {
      if (!entry.live.isStarted && !entry.live.attached && entry.ticketExpiresAt < cutoff) {
        this.entries.delete(id);
      }
    }
  }

  remove(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  all(): LiveSession[] {
    return [...this.entries.values()].map((e) => e.live);
  }
}
