import type { Transport as LinkTransport } from '@farm/serial-protocol';
import type { Transport } from '../transport/transport.js';

/**
 * Presents one of our transports to the protocol driver. The driver learns
 * of every end of the stream through `closed(reason)`: our own close and a
 * vanished device both stop the link, and a vanished one carries its cause
 * so an interrupted job says why.
 *
 * No `discardOutput`: flushing the kernel's buffers (tcflush) races with the
 * emergency write itself and could drop the M112; what sits ahead of it is
 * at most one window of already-sent lines.
 */
export function linkTransportFor(transport: Transport): LinkTransport {
  let unsubscribe: (() => void) | undefined;
  return {
    write(data) {
      transport.write(data);
      return Promise.resolve();
    },
    close: () => transport.close(),
    setHandlers(handlers) {
      unsubscribe?.();
      unsubscribe = transport.subscribe((event) => {
        switch (event.type) {
          case 'data':
            handlers.data(event.bytes);
            return;
          case 'vanished':
            handlers.closed(`${transport.target} vanished: ${event.cause}`);
            return;
          case 'closed':
            handlers.closed('closed by the host');
            return;
          case 'open':
          case 'error':
            return;
        }
      });
    },
  };
}
