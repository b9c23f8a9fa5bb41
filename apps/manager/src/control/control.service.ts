// Printer controls, terminal lines and emergency stops: scope and safety
// checks first, then one signed request to the printer's host.
import type { Redis } from 'ioredis';
import type {
  ControlCommand,
  ControlErrorCode,
  ControlResult,
  LiveKeys,
  Permission,
  SignedControl,
} from '@farm/contracts';
import { ALL_PRINTERS } from '@farm/contracts';
import { authorize, groupScopeOf, hasPermission } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import type { LiveStateReader, LiveView } from '../live/live-state.js';
import type { ControlClient } from './control-client.js';
import type { ControlSigner, IssuedBy } from './control-request.js';
import type { ControlTarget, ControlTargetsRepository } from './control-targets.repository.js';
import { controlTimeoutMs } from './control-timeouts.js';
import { publishEmergencyStops } from './emergency-stop.js';
import { checkTargetTemperature } from './heater-limits.js';
import { PrinterAnswerError } from './printer-answer-error.js';
import { decideTerminalLine } from './terminal-policy.js';
import { TERMINAL_LINES_PER_SECOND, type TerminalRate } from './terminal-rate.js';

/** Controls sent through `POST /api/printers/:id/control`. */
export type PanelCommand = Exclude<ControlCommand, { kind: 'connect' | 'disconnect' | 'terminal' | 'emergency-stop' }>;

export interface StopReport {
  /** Printers the stop was addressed to. */
  printers: number;
  /** Messages published (one per host for a global stop, else one per printer). */
  messages: number;
  /** Subscribers that received them, as PUBLISH counted. */
  receivers: number;
}

export interface ControlServiceDeps {
  targets: ControlTargetsRepository;
  liveState: LiveStateReader;
  signer: ControlSigner;
  client: ControlClient;
  terminalRate: TerminalRate;
  redis: Redis;
  keys: LiveKeys;
  clock: Clock;
  allowFirmwareFlash: boolean;
  isSteppedUp: (stepUpAt: Date | null) => boolean;
}

export type ControlService = ReturnType<typeof createControlService>;

const BUSY = new Set(['printing', 'paused', 'cancelling']);

function issuedByOf(principal: Principal | null): IssuedBy {
  if (!principal) throw new AppError('unauthenticated');
  if (principal.kind === 'user' || principal.kind === 'apikey')
    return { userId: principal.userId, role: principal.role };
  // Workers never call over HTTP and scrapers hold no permission: neither reaches a control route.
  throw new AppError('forbidden', { detail: `${principal.kind} cannot issue controls` });
}

const clip = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** The worker's answer as output lines; a refusal or failure becomes the error it amounts to. */
function outputOf(result: ControlResult): string[] {
  const outcome = result.outcome;
  if (outcome.ok) return outcome.output ?? [];
  throw answerError(outcome.code, clip(outcome.message));
}

function answerError(code: ControlErrorCode, message: string): Error {
  switch (code) {
    case 'refused-by-safety':
      return new AppError('command_refused', { message: `The printer refused the command: ${message}` });
    case 'not-connected':
      return new AppError('not_connected');
    case 'busy':
      return new AppError('conflict', { message: `The printer is busy: ${message}` });
    case 'failed':
      return new PrinterAnswerError('printer_failed', `The printer could not carry out the command: ${message}`);
    case 'malformed':
    case 'bad-signature':
    case 'stale':
    case 'replayed':
      // The manager and the worker disagree (keys, clocks): say which check failed, not more.
      return new PrinterAnswerError('printer_failed', `The printer's worker did not accept the request (${code}).`);
  }
}

export function createControlService(deps: ControlServiceDeps) {
  const { targets, liveState, signer, client, clock } = deps;

  /** The printer if the caller may act on it: 404 outside their groups, 409 when no host could act. */
  async function targetFor(
    principal: Principal | null,
    id: string,
    permission: Permission,
  ): Promise<ControlTarget & { hostId: string }> {
    const target = await targets.find(id);
    if (!target) throw new AppError('not_found');
    authorize(principal, permission, { groupId: target.groupId });
    if (target.retired) throw new AppError('conflict', { message: 'The printer is retired.' });
    const hostId = target.hostId;
    if (hostId === null)
      throw new AppError('conflict', {
        message: 'The printer is not adopted on a host yet, so no worker can act on it.',
      });
    return { ...target, hostId };
  }

  function requireOnline(view: LiveView): void {
    if (!view.online)
      throw new AppError('not_connected', { message: 'not connected: no worker reports this printer.' });
  }

  async function dispatch(
    principal: Principal | null,
    target: { id: string; hostId: string },
    command: ControlCommand,
  ): Promise<string[]> {
    const request = signer.sign({
      printerId: target.id,
      hostId: target.hostId,
      command,
      issuedBy: issuedByOf(principal),
      issuedAt: clock.now().getTime(),
    });
    const timeoutMs = controlTimeoutMs(command);
    const answer = await client.send(request, timeoutMs);
    if (answer.kind === 'timeout') {
      throw new PrinterAnswerError(
        'printer_timeout',
        `The command was sent; the printer did not answer in ${Math.round(timeoutMs / 1000)} s.`,
      );
    }
    return outputOf(answer.result);
  }

  function signStop(principal: Principal | null, printerId: string, hostId: string): SignedControl {
    return signer.sign({
      printerId,
      hostId,
      command: { kind: 'emergency-stop' },
      issuedBy: issuedByOf(principal),
      issuedAt: clock.now().getTime(),
    });
  }

  return {
    async connection(principal: Principal | null, id: string, action: 'connect' | 'disconnect'): Promise<string[]> {
      const target = await targetFor(principal, id, 'printer.connect');
      requireOnline(await liveState.readOne(id));
      return dispatch(principal, target, { kind: action });
    },

    async control(principal: Principal | null, id: string, command: PanelCommand): Promise<string[]> {
      const target = await targetFor(principal, id, 'printer.control');
      if (command.kind === 'set-temperature') {
        const check = checkTargetTemperature(target.profile, command.heater, command.targetC);
        if (!check.ok) throw new AppError('command_refused', { message: check.message });
      }
      requireOnline(await liveState.readOne(id));
      return dispatch(principal, target, command);
    },

    async terminal(
      principal: Principal | null,
      id: string,
      line: string,
      inspectionConfirmed: boolean,
    ): Promise<string[]> {
      const target = await targetFor(principal, id, 'terminal.send');
      const view = await liveState.readOne(id);
      const mayUseAdminPolicy = principal?.kind === 'user' && hasPermission(principal, 'terminal.send_restricted');
      const decision = decideTerminalLine(
        line,
        { mayUseAdminPolicy },
        {
          profile: target.profile,
          // Unknown state counts as busy: restricted commands need a known idle printer.
          printerIdle: view.state !== null && !BUSY.has(view.state.status),
          firmwareFlashAllowed: deps.allowFirmwareFlash,
          inspectionConfirmed,
        },
      );
      if (!decision.ok)
        throw new AppError('command_refused', { message: clip(decision.reason), detail: decision.code });
      // terminal.send_restricted is †: a restricted line needs a recent password re-entry.
      if (decision.restricted && (principal?.kind !== 'user' || !deps.isSteppedUp(principal.session.stepUpAt))) {
        throw new AppError('step_up_required');
      }
      requireOnline(view);
      if (!(await deps.terminalRate.take(id))) {
        throw new AppError('too_many_requests', {
          message: `This printer takes at most ${TERMINAL_LINES_PER_SECOND} terminal lines a second.`,
          retryAfter: 1,
        });
      }
      return dispatch(principal, target, { kind: 'terminal', line });
    },

    /** Published whether or not a worker reports the printer: a stop must never wait on state. */
    async stopOne(principal: Principal | null, id: string): Promise<StopReport> {
      const target = await targets.findForStop(id);
      if (!target) throw new AppError('not_found');
      authorize(principal, 'printer.estop', { groupId: target.groupId });
      if (target.hostId === null)
        throw new AppError('conflict', {
          message: 'The printer is not adopted on a host, so no worker can receive a stop.',
        });
      const receivers = await publishEmergencyStops(deps.redis, deps.keys.emergencyStop, [
        signStop(principal, id, target.hostId),
      ]);
      return { printers: 1, messages: 1, receivers };
    },

    /** Everything the caller can see: one `*` message per host for callers with every group, else one per printer. */
    async stopAll(principal: Principal | null): Promise<StopReport> {
      if (!principal) throw new AppError('unauthenticated');
      const scope = groupScopeOf(principal);
      let printers: number;
      let messages: SignedControl[];
      switch (scope.kind) {
        case 'all': {
          const onHosts = await targets.listOnHosts(null);
          printers = onHosts.length;
          messages = [...new Set(onHosts.map((p) => p.hostId))].map((hostId) =>
            signStop(principal, ALL_PRINTERS, hostId),
          );
          break;
        }
        case 'groups': {
          const onHosts = await targets.listOnHosts([...scope.groupIds]);
          printers = onHosts.length;
          messages = onHosts.map((p) => signStop(principal, p.id, p.hostId));
          break;
        }
      }
      const receivers = await publishEmergencyStops(deps.redis, deps.keys.emergencyStop, messages);
      return { printers, messages: messages.length, receivers };
    },
  };
}
