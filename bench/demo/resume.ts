/** How a candidate that lost its socket comes back (protocol section 9). */
export const RETRY_MS = 100;
export const RESUME_WINDOW_MS = 15_000;

/** Refusals no retry can cure: the session is gone or over. */
export const FINAL_CLOSE_CODES = new Set([4404, 4410]);

/** One comeback: times are from the close, in wall milliseconds. */
export interface ResumeRecord {
  closeCode: number;
  /** Epoch ms of the close, so a caller can measure from its own moment (a kill). */
  closedAt: number;
  /** The node that took the candidate back. */
  url: string;
  attempts: number;
  /** Refusals on the way (codes of `error` messages on sockets that never got `ready`). */
  refused: string[];
  openMs: number | null;
  readyMs: number | null;
  /** First `state` after `ready`. */
  stateMs: number | null;
  /** First examiner audio byte after `ready`. */
  audioMs: number | null;
  audioAt: number | null;
}

/** What a candidate with `reconnect` adds to its report. */
export interface FailoverReport {
  sessionId: string;
  /** Sockets that were taken back (`ready` after a drop). */
  reconnects: number;
  /** Close → first examiner audio byte after each reconnect. */
  resumeMs: number[];
  resumes: ResumeRecord[];
  /** Turn ids whose `turn stopped` arrived before the first drop. */
  turnsBefore: number[];
  /** Turn ids whose `turn stopped` arrived after the first reconnect. */
  turnsAfter: number[];
  /** Every state the client was told about after the first reconnect, repeats collapsed. */
  statesAfter: string[];
}

/** An outage in progress: from a close until `ready` on a new socket. */
export interface Outage {
  closeCode: number;
  closedAt: number;
  giveUpAt: number;
  attempts: number;
  refused: string[];
  openAt: number | null;
}

export function newOutage(closeCode: number, now: number): Outage {
  return {
    closeCode,
    closedAt: now,
    giveUpAt: now + RESUME_WINDOW_MS,
    attempts: 0,
    refused: [],
    openAt: null,
  };
}

export function resumed(outage: Outage, url: string, now: number): ResumeRecord {
  return {
    closeCode: outage.closeCode,
    closedAt: outage.closedAt,
    url,
    attempts: outage.attempts,
    refused: outage.refused,
    openMs: outage.openAt === null ? null : outage.openAt - outage.closedAt,
    readyMs: now - outage.closedAt,
    stateMs: null,
    audioMs: null,
    audioAt: null,
  };
}

export function streamUrl(baseUrl: string, sessionId: string, ticket: string): string {
  const path = `/v1/speaking/sessions/${sessionId}/stream?ticket=${encodeURIComponent(ticket)}`;
  return `${baseUrl.replace(/^http/, 'ws')}${path}`;
}

/** A fresh ticket, for when the resume ticket was spent by a socket whose `ready` we never saw. */
export async function reissueTicket(baseUrl: string, sessionId: string): Promise<string | null> {
  try {
    const response = await fetch(`${baseUrl}/v1/speaking/sessions/${sessionId}/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(2000),
    });
    if (response.status !== 201) return null;
    return ((await response.json()) as { ticket: string }).ticket;
  } catch {
    return null;
  }
}
