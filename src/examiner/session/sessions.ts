import { randomUUID } from 'node:crypto';
import { MACHINE_VERSION } from '../../../machines/examiner/index.ts';
import {
  type Checkpoint,
  CheckpointCorruptError,
  type CheckpointStore,
  type SessionRecord,
} from '../../domain/ports/checkpoint-store.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { LiveSession } from './live-session.ts';
import { hashTicket, newTicket } from './tickets.ts';

export interface SessionsOptions {
  store: CheckpointStore;
  nodeId: string;
  ticketTtlMs: number;
  /** How long a resume ticket (handed out in `ready`) stays valid. */
  resumeTicketTtlMs: number;
  leaseTtlMs: number;
  /** Lifetime of a session's keys while it may still run. */
  sessionTtlMs: number;
  log: Logger;
  makeLive(
    record: SessionRecord,
    ownership: { fence: number; checkpoint: Checkpoint | null },
  ): LiveSession;
  now?: () => number;
}

const hex = (ticket: string) => hashTicket(ticket).toString('hex');

/** The store reports Redis being away as STORE_FAILED; to a client that is storage unavailable. */
const isStoreOutage = (error: AppError) => error.code === 'STORE_FAILED';

/**
 * Speaking sessions across nodes: created and admitted through Redis, so a candidate may
 * (re)connect to any node; run on the node that holds the lease.
 */
export class SpeakingSessions {
  private readonly local = new Map<string, LiveSession>();
  private readonly now: () => number;

  constructor(private readonly options: SessionsOptions) {
    this.now = options.now ?? Date.now;
  }

  async create(candidateId: string, seed?: string) {
    const sessionId = randomUUID();
    const { ticket, hash } = newTicket();
    const ticketExpiresAt = this.now() + this.options.ticketTtlMs;
    const record: SessionRecord = {
      sessionId,
      candidateId,
      seed: seed ?? sessionId,
      createdAt: this.now(),
      ticketHash: hash.toString('hex'),
      ticketExpiresAt,
      status: 'created',
    };
    await this.guard(() => this.options.store.createSession(record, this.options.sessionTtlMs));
    return { sessionId, ticket, ticketExpiresAt };
  }

  /** A fresh ticket for the session's own candidate, e.g. after the first one expired. */
  async reissue(sessionId: string, candidateId: string) {
    const record = await this.guard(() => this.options.store.getSession(sessionId));
    if (!record || record.candidateId !== candidateId) {
      throw new AppError('SESSION_NOT_FOUND', 'no such speaking session');
    }
    if (record.status === 'ended')
      throw new AppError('SESSION_ENDED', 'the speaking session has ended');
    const { ticket, hash } = newTicket();
    const ticketExpiresAt = this.now() + this.options.ticketTtlMs;
    await this.guard(() =>
      this.options.store.setTicket(sessionId, {
        hash: hash.toString('hex'),
        expiresAt: ticketExpiresAt,
      }),
    );
    return { ticket, ticketExpiresAt };
  }

  /**
   * Admits a socket: checks the ticket, takes the session's lease (asking a live owner whose
   * candidate is gone to hand it over), restores the latest checkpoint, then spends the ticket.
   */
  async admit(sessionId: string, ticket: string | undefined) {
    const { store } = this.options;
    const record = await this.guard(() => store.getSession(sessionId));
    if (!record) throw new AppError('SESSION_NOT_FOUND', 'no such speaking session');
    if (record.status === 'ended')
      throw new AppError('SESSION_ENDED', 'the speaking session has ended');
    if (!ticket || hex(ticket) !== record.ticketHash) {
      throw new AppError('TICKET_INVALID', 'the stream ticket is not valid for this session');
    }
    if (this.now() > record.ticketExpiresAt) {
      throw new AppError('TICKET_EXPIRED', 'the stream ticket has expired; ask for a new one');
    }
    const live = this.local.get(sessionId);
    if (live?.attached) {
      throw new AppError('SESSION_BUSY', 'another connection is already streaming this session');
    }
    if (live?.isEnded) throw new AppError('SESSION_ENDED', 'the speaking session has ended');
    let taken: { fence: number; checkpoint: Checkpoint | null } | null = null;
    if (live) live.admitting = true;
    else taken = await this.take(sessionId);
    try {
      return await this.spend(sessionId, record, live, taken);
    } finally {
      if (live) live.admitting = false;
    }
  }

  private async spend(
    sessionId: string,
    record: SessionRecord,
    local: LiveSession | undefined,
    taken: { fence: number; checkpoint: Checkpoint | null } | null,
  ) {
    const { store } = this.options;
    let live = local;
    const next = newTicket();
    const spent = await this.guard(() =>
      store.consumeTicket(
        sessionId,
        record.ticketHash,
        { hash: next.hash.toString('hex'), expiresAt: this.now() + this.options.resumeTicketTtlMs },
        this.now(),
      ),
    );
    if (!spent) {
      if (taken) await store.release(sessionId, this.options.nodeId, taken.fence).catch(() => {});
      throw new AppError('TICKET_INVALID', 'the stream ticket has already been used');
    }
    if (taken) {
      live = this.options.makeLive(record, taken);
      this.local.set(sessionId, live);
    }
    return { live: live as LiveSession, resumeTicket: next.ticket };
  }

  private async take(sessionId: string): Promise<{ fence: number; checkpoint: Checkpoint | null }> {
    const { store, nodeId, leaseTtlMs, log } = this.options;
    const deadline = this.now() + leaseTtlMs + 1000;
    let fence = await this.guard(() => store.acquire(sessionId, nodeId, leaseTtlMs));
    if (fence === null) {
      // A live owner hands over once it sees the request; a dead one's lease simply lapses.
      await this.guard(() => store.requestHandoff(sessionId, leaseTtlMs + 1000));
      while (fence === null && this.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        fence = await this.guard(() => store.acquire(sessionId, nodeId, leaseTtlMs));
      }
    }
    if (fence === null) {
      throw new AppError('SESSION_BUSY', 'the session is running on another node');
    }
    try {
      const checkpoint = await store.read(sessionId);
      if (checkpoint && checkpoint.machineVersion !== MACHINE_VERSION) {
        throw new AppError(
          'CHECKPOINT_INCOMPATIBLE',
          `the test was saved by examiner version ${checkpoint.machineVersion}, this node runs ${MACHINE_VERSION}`,
        );
      }
      if (checkpoint) log.info({ sessionId, fence, seq: checkpoint.seq }, 'session taken over');
      return { fence, checkpoint };
    } catch (error) {
      await store.release(sessionId, nodeId, fence).catch(() => {});
      if (error instanceof CheckpointCorruptError) {
        throw new AppError('CHECKPOINT_CORRUPT', 'the saved test cannot be read', { cause: error });
      }
      if (error instanceof AppError && !isStoreOutage(error)) throw error;
      throw new AppError('CHECKPOINT_UNAVAILABLE', 'the saved test is unavailable', {
        cause: error,
      });
    }
  }

  /** Redis being away at admission is the client's to retry, with a clear code. */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof AppError && !isStoreOutage(error)) throw error;
      throw new AppError('CHECKPOINT_UNAVAILABLE', 'session storage is unavailable; retry', {
        cause: error,
      });
    }
  }

  remove(sessionId: string): void {
    this.local.delete(sessionId);
  }

  get size(): number {
    return this.local.size;
  }

  all(): LiveSession[] {
    return [...this.local.values()];
  }
}
