import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A stream ticket: 256 random bits, handed out once, kept only as a hash. */
export function newTicket(): { ticket: string; hash: Buffer } {
  const ticket = randomBytes(32).toString('base64url');
  return { ticket, hash: hashTicket(ticket) };
}

export function hashTicket(ticket: string): Buffer {
  return createHash('sha256').update(ticket).digest();
}

export function ticketMatches(ticket: string, hash: Buffer): boolean {
  return timingSafeEqual(hashTicket(ticket), hash);
}
