/**
 * Firmware → host direction: replies leave at the wire's byte rate, then wait
 * for the USB bridge (an FTDI chip holds short packets until its latency timer
 * expires). Replies due at the same moment are handed over as one chunk, so a
 * burst of lines costs one write on the transport.
 */
interface Pending {
  text: string;
  deliverAt: number;
}

export class OutboundWire {
  private readonly queue: Pending[] = [];
  private head = 0;
  private busyUntil = 0;

  constructor(
    private readonly byteMs: number,
    private readonly latencyMs: number,
  ) {}

  /** Queues `text` (already terminated) written by the firmware at time `at`. */
  push(text: string, at: number): void {
    const start = Math.max(at, this.busyUntil);
    this.busyUntil = start + text.length * this.byteMs;
    this.queue.push({ text, deliverAt: this.busyUntil + this.latencyMs });
  }

  nextDeliveryAt(): number | undefined {
    return this.queue[this.head]?.deliverAt;
  }

  /** Everything that has reached the host by `now`, joined; '' when nothing has. */
  take(now: number): string {
    let out = '';
    while (this.head < this.queue.length) {
      const item = this.queue[this.head];
      if (!item || item.deliverAt > now) break;
      out += item.text;
      this.head++;
    }
    if (this.head > 1024 || this.head === this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return out;
  }

  clear(): void {
    this.queue.length = 0;
    this.head = 0;
  }
}
