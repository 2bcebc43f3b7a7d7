/** One remembered turn of the conversation, for a new stream's history. */
export interface HistoryTurn {
  role: 'USER' | 'ASSISTANT';
  text: string;
}

export const MAX_TEXT_INPUT_BYTES = 1024;
export const MAX_HISTORY_BYTES = 40 * 1024;

/**
 * Makes a history Bedrock accepts: consecutive turns of one role merged, the newest turns kept
 * within 40 KB, the first turn a USER one, and each message split into textInputs of at most
 * 1 KB (the limit is per textInput, so a long turn becomes several inputs in one block).
 */
export function sanitiseHistory(
  turns: HistoryTurn[],
): Array<{ role: HistoryTurn['role']; parts: string[] }> {
  const merged: HistoryTurn[] = [];
  for (const turn of turns) {
    const text = turn.text.trim();
    if (!text) continue;
    const last = merged.at(-1);
    if (last && last.role === turn.role) last.text = `${last.text} ${text}`;
    else merged.push({ role: turn.role, text });
  }
  const kept: HistoryTurn[] = [];
  let bytes = 0;
  for (let i = merged.length - 1; i >= 0; i--) {
    const turn = merged[i] as HistoryTurn;
    const size = Buffer.byteLength(turn.text);
    if (bytes + size > MAX_HISTORY_BYTES) break;
    kept.unshift(turn);
    bytes += size;
  }
  while (kept[0]?.role === 'ASSISTANT') kept.shift();
  return kept.map((turn) => ({
    role: turn.role,
    parts: splitUtf8(turn.text, MAX_TEXT_INPUT_BYTES),
  }));
}

/** Splits text into pieces of at most `limit` UTF-8 bytes, at word boundaries where possible. */
export function splitUtf8(text: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const word of text.split(/(\s+)/)) {
    if (Buffer.byteLength(current + word) <= limit) {
      current += word;
      continue;
    }
    if (current.trim()) parts.push(current.trim());
    current = '';
    // A single word longer than the limit is cut by characters.
    let rest = word;
    while (Buffer.byteLength(rest) > limit) {
      let cut = limit;
      while (Buffer.byteLength(rest.slice(0, cut)) > limit) cut--;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
