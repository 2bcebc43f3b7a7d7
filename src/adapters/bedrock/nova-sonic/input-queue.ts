/**
 * The request body of one bidirectional stream: events are queued in order and handed to the
 * SDK as it asks for them. Queueing before the stream is up is what carries candidate audio
 * across a rotation or a reconnect without a gap.
 */
export class InputQueue implements AsyncIterable<{ chunk: { bytes: Uint8Array } }> {
  private items: Uint8Array[] = [];
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
    return this.items.length;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<{ chunk: { bytes: Uint8Array } }> {
    while (true) {
      const bytes = this.items.shift();
      if (bytes) {
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
