/**
 * The request body of one bidirectional stream: events are queued in order and handed to the
 * SDK as it asks for them. Queueing before the stream is up is what carries candidate audio
 * across a rotation or a reconnect without a gap.
 */
export class InputQueue implements AsyncIterable<{ chunk: { bytes: Uint8Array } }> {
  private items: Uint8Array[] = [];
  /** Index of the next item: shifting a long array is linear, and audio arrives 31 times a second. */
  private head = 0;
  private wake: (() => void) | null = null;
  private ended = false;

  push(event: unknown): void {
    if (this.ended) return;
    this.items.push(Buffer.from(JSON.stringify(event)));
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<{ chunk: { bytes: Uint8Array } }> {
    while (true) {
      if (this.head < this.items.length) {
        const bytes = this.items[this.head] as Uint8Array;
        this.head += 1;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        yield { chunk: { bytes } };
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }
}
