// What the bench knows of each printer, from one dashboard client's feed.
import type { LiveMessage } from './live-clients.js';

type LiveState = { printerId: string; status: string; job?: { jobId: string; linesSent: number } };

export class FarmTracker {
  readonly status = new Map<string, string>();
  /** Lines the firmware acknowledged, summed over every job the printer ran while followed. */
  readonly #lines = new Map<string, number>();
  readonly #job = new Map<string, { jobId: string; linesSent: number }>();

  handle(message: LiveMessage): void {
    switch (message.type) {
      case 'snapshot':
        for (const printer of (message.printers as { id: string; live?: LiveState }[] | undefined) ?? []) {
          if (printer.live) this.#apply(printer.live);
        }
        return;
      case 'printer.state':
        this.#apply(message.state as LiveState);
        return;
      case 'printer.offline':
        this.status.set(message.printerId as string, 'offline');
        return;
      default:
        return;
    }
  }

  linesDone(printerId: string): number {
    return this.#lines.get(printerId) ?? 0;
  }

  count(status: string, printerIds: readonly string[]): number {
    return printerIds.filter((id) => this.status.get(id) === status).length;
  }

  /** Resolves once the printer shows one of `statuses`. */
  async waitFor(printerId: string, statuses: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!statuses.includes(this.status.get(printerId) ?? '')) {
      if (Date.now() > deadline) throw new Error(`printer ${printerId} is ${this.status.get(printerId)}, not ${statuses.join('/')}, after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async waitForAll(printerIds: readonly string[], status: string, timeoutMs: number): Promise<void> {
    for (const id of printerIds) await this.waitFor(id, [status], timeoutMs);
  }

  #apply(state: LiveState): void {
    this.status.set(state.printerId, state.status);
    const job = state.job;
    if (!job) return;
    const last = this.#job.get(state.printerId);
    const before = last?.jobId === job.jobId ? last.linesSent : 0;
    this.#lines.set(state.printerId, this.linesDone(state.printerId) + Math.max(0, job.linesSent - before));
    this.#job.set(state.printerId, { jobId: job.jobId, linesSent: job.linesSent });
  }
}
