import type { TransportEvent, TransportListener, TransportState } from './transport.js';

/**
 * The listener set and state bookkeeping both transports share, so that each
 * emits `closed` or `vanished` exactly once and never both.
 */
export class TransportEvents {
  private readonly listeners = new Set<TransportListener>();
  state: TransportState = 'idle';

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Marks the stream ended by us or by the other side; true the first time only. */
  end(how: 'closed' | { vanished: string }): boolean {
    if (this.state === 'closed' || this.state === 'vanished') return false;
    if (how === 'closed') {
      this.state = 'closed';
      this.emit({ type: 'closed' });
    } else {
      this.state = 'vanished';
      this.emit({ type: 'vanished', cause: how.vanished });
    }
    return true;
  }
}
