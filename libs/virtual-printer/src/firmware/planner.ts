/**
 * The planner's block queue in time: blocks run back to back, the head block
 * is the one executing and keeps its slot until it finishes (as in Marlin,
 * where `BLOCK_BUFFER_SIZE` counts the running block). Durations are in host
 * milliseconds (already divided by the time scale).
 */
export class Planner {
  private readonly durations: number[] = [];
  private head = 0;
  /** When the head block started (or will start); meaningful only while blocks are queued. */
  private headStart = 0;
  /** Total blocks executed since power-on. */
  executed = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.durations.length - this.head;
  }

  get free(): number {
    return this.capacity - this.length;
  }

  push(durationMs: number, now: number): void {
    if (this.length === 0) this.headStart = now;
    this.durations.push(durationMs);
  }

  /** End time of the executing block, if any. */
  nextEndAt(): number | undefined {
    const d = this.durations[this.head];
    return d === undefined ? undefined : this.headStart + d;
  }

  /** Retires every block finished by `now`. */
  update(now: number): void {
    for (;;) {
      const end = this.nextEndAt();
      if (end === undefined || end > now) break;
      this.head++;
      this.executed++;
      this.headStart = end;
    }
    if (this.head > 256 || this.head === this.durations.length) {
      this.durations.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Quick stop (M410), kill, reset: the running move and every planned block are dropped. */
  clear(): void {
    this.durations.length = 0;
    this.head = 0;
  }
}
