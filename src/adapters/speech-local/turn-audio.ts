/**
 * The most recent audio of one stream, addressed by absolute byte offset since the last clear,
 * so a turn can be cut out by the detector's offsets. Oldest bytes are dropped beyond the cap.
 */
export class TurnAudioBuffer {
  private chunks: Buffer[] = [];
  private head = 0;
  private start = 0;
  private end = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new RangeError('maxBytes must be positive');
  }

  /** Offset of the oldest byte still held. */
  get startByte(): number {
    return this.start;
  }

  /** Offset just past the newest byte. */
  get endByte(): number {
    return this.end;
  }

  /** Copies the bytes, because callers may reuse their buffers. */
  append(pcm: Buffer): void {
    if (pcm.length === 0) return;
    this.chunks.push(Buffer.from(pcm));
    this.end += pcm.length;
    this.dropBefore(this.end - this.maxBytes);
  }

  /** Bytes in [from, to), clamped to what is still held. */
  slice(from: number, to: number): Buffer {
    const lo = Math.max(from, this.start);
    const hi = Math.min(to, this.end);
    if (hi <= lo) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let offset = this.start;
    for (let i = this.head; i < this.chunks.length && offset < hi; i++) {
      const chunk = this.chunks[i] as Buffer;
      const chunkEnd = offset + chunk.length;
      if (chunkEnd > lo) parts.push(chunk.subarray(Math.max(0, lo - offset), hi - offset));
      offset = chunkEnd;
    }
    return Buffer.concat(parts);
  }

  dropBefore(offset: number): void {
    const target = Math.min(offset, this.end);
    while (this.start < target && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head] as Buffer;
      const excess = target - this.start;
      if (chunk.length <= excess) {
        this.chunks[this.head] = Buffer.alloc(0);
        this.head += 1;
        this.start += chunk.length;
      } else {
        this.chunks[this.head] = chunk.subarray(excess);
        this.start = target;
      }
    }
    // Compact now and then rather than shifting the array on every drop.
    if (this.head > 256 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.start = 0;
    this.end = 0;
  }
}
