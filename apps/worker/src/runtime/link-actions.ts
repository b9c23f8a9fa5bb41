// The link controls (connect, disconnect, pause, resume, cancel, stop) as
// the printer's state allows them; answers once the action has taken.
import type { ControlResult, PrinterStatus } from '@farm/contracts';
import { failure } from './control-executor.js';
import type { LinkAction } from './control-plan.js';
import type { LinkSupervisor } from './link-supervisor.js';

type Outcome = ControlResult['outcome'];

export interface LinkActionHost {
  readonly supervisor: LinkSupervisor;
  status(): PrinterStatus;
  /** Why the last connection failed, if the state says. */
  lastError(): string | undefined;
  /** The printer's state shows the cancel under way. */
  cancelling(): void;
  stopping(): boolean;
  connectTimeoutMs: number;
}

export async function runLinkAction(action: LinkAction, host: LinkActionHost): Promise<Outcome> {
  const { supervisor } = host;
  const status = host.status();
  switch (action) {
    case 'connect':
      // A halted printer needs the port reopened (a reset), not just the link kept.
      if (supervisor.connected && status === 'halted') await supervisor.disconnect();
      supervisor.connect();
      return waitReady(host);
    case 'disconnect':
      await supervisor.disconnect();
      return { ok: true };
    case 'pause':
      if (status !== 'printing') return failure('failed', `nothing to pause (${status})`);
      supervisor.pause();
      return { ok: true };
    case 'resume':
      if (status !== 'paused') return failure('failed', `nothing to resume (${status})`);
      supervisor.resume();
      return { ok: true };
    case 'cancel':
      if (status !== 'printing' && status !== 'paused') return failure('failed', `nothing to cancel (${status})`);
      host.cancelling();
      supervisor.cancel();
      return { ok: true };
    case 'emergency-stop':
      return supervisor.emergencyStop() ? { ok: true } : failure('not-connected', 'the port is closed');
  }
}

/** A `connect` answers once the handshake is done (or failed). */
function waitReady(host: LinkActionHost): Promise<Outcome> {
  const { supervisor } = host;
  if (supervisor.ready) return Promise.resolve({ ok: true });
  return new Promise((resolve) => {
    const started = Date.now();
    const check = setInterval(() => {
      if (supervisor.ready) {
        clearInterval(check);
        resolve({ ok: true });
      } else if (!supervisor.wanted || host.stopping() || Date.now() - started > host.connectTimeoutMs) {
        clearInterval(check);
        resolve(failure('failed', host.lastError() ?? 'the printer did not answer'));
      }
    }, 100);
  });
}
