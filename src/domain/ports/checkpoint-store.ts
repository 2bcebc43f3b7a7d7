/** One line of the conversation, kept beside the snapshot (so the snapshot stays small). */
export interface TranscriptEntry {
  speaker: 'examiner' | 'candidate';
  part: string;
  at: number;
  /** Examiner: the line; candidate: the transcript, or null when none came back. */
  text: string | null;
  /** Candidate turns only: what the engine measured (see CandidateTurn). */
  turn?: {
    turnId: number;
    speechMs: number;
    pauseCount: number;
    pauseMs: number;
    runsMs: number[];
  };
}

export interface CheckpointData {
  machineVersion: number;
  /** The actor's persisted snapshot, plain JSON. */
  snapshot: unknown;
  transcript: TranscriptEntry[];
}

export interface Checkpoint extends CheckpointData {
  fence: number;
  /** Increases by one on every accepted write. */
  seq: number;
  updatedAt: number;
  /** Last time the owner renewed its lease (ms since the epoch); 0 when never. */
  aliveAt: number;
}

/** What a node needs to admit a candidate's socket, on any node. */
export interface SessionRecord {
  sessionId: string;
  candidateId: string;
  seed: string;
  createdAt: number;
  /** SHA-256 of the one ticket that admits the next socket, hex. */
  ticketHash: string;
  ticketExpiresAt: number;
  status: 'created' | 'live' | 'ended';
}

export type WriteResult = 'ok' | 'lost';

export class CheckpointCorruptError extends Error {
  override name = 'CheckpointCorruptError';
}

/**
 * Speaking sessions in Redis: who may join them, who owns them (a lease with a fencing token),
 * and their latest checkpoint. Connection failures reject; ownership answers are values.
 */
export interface CheckpointStore {
  createSession(record: SessionRecord, ttlMs: number): Promise<void>;
  getSession(sessionId: string): Promise<SessionRecord | null>;
  /**
   * Swaps the ticket only if the current one is `expectedHash` and unexpired at `now`: a ticket
   * admits exactly one socket. Returns false when it did not match or had expired.
   */
  consumeTicket(
    sessionId: string,
    expectedHash: string,
    next: { hash: string; expiresAt: number },
    now: number,
  ): Promise<boolean>;
  /** Replaces the ticket unconditionally (a reissue for the session's own candidate). */
  setTicket(sessionId: string, next: { hash: string; expiresAt: number }): Promise<void>;
  setStatus(sessionId: string, status: SessionRecord['status']): Promise<void>;
  /** Sets how long every key of the session lives from now (a day after the test ends). */
  expireSession(sessionId: string, ttlMs: number): Promise<void>;

  /** Takes the lease if nobody holds it; returns the new fencing token, or null if held. */
  acquire(sessionId: string, nodeId: string, ttlMs: number): Promise<number | null>;
  /** Extends the lease if this node still holds it with this fence; false means it is lost. */
  renew(sessionId: string, nodeId: string, fence: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if this node holds it; a no-op otherwise. */
  release(sessionId: string, nodeId: string, fence: number): Promise<void>;
  /** Asks the owner to hand the session over (it does when its candidate is gone). */
  requestHandoff(sessionId: string, ttlMs: number): Promise<void>;
  handoffRequested(sessionId: string): Promise<boolean>;
  /** Milliseconds left on the lease, or 0 when nobody holds it. */
  leaseTtl(sessionId: string): Promise<number>;

  /** Writes only while holding the lease with this fence and no newer fence has written. */
  write(
    sessionId: string,
    nodeId: string,
    fence: number,
    data: CheckpointData,
  ): Promise<WriteResult>;
  /** The latest checkpoint, or null; a checkpoint that does not parse throws CheckpointCorruptError. */
  read(sessionId: string): Promise<Checkpoint | null>;
  close(): Promise<void>;
}
