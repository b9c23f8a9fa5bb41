// Which port workers should run, as a pure state machine: spawn one per
// adopted printer that is plugged in, restart a crashed one after an
// exponential back-off (capped, and reset once a worker ran stably), stop one
// whose printer went away, and start nothing until the farm's first admin
// exists (until then no worker may open a serial port). Each worker runs
// with a spec (the device path it opens, for example); when the spec of a
// running worker changes (the printer came back on another path), the old
// worker is stopped and a new one started with the new spec.

export type BackoffPolicy = {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A worker that ran this long before exiting counts as healthy: its next failure starts the back-off over. */
  readonly stableMs: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

/** Delay before restart number `failures` (1-based): base, 2×base, 4×base… up to max. */
export function restartDelay(failures: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

export type ChildState =
  | { readonly kind: 'running'; readonly startedAt: number; readonly failures: number; readonly spec: string }
  | { readonly kind: 'backoff'; readonly until: number; readonly failures: number }
  | { readonly kind: 'stopping' };

export type SupervisorState = {
  readonly gateOpen: boolean;
  /** printer id → spec of the worker it should have. */
  readonly desired: ReadonlyMap<string, string>;
  readonly children: ReadonlyMap<string, ChildState>;
};

export type SupervisorEvent =
  | { readonly type: 'gate-opened'; readonly at: number }
  | { readonly type: 'desired'; readonly at: number; readonly workers: readonly DesiredWorker[] }
  | { readonly type: 'exited'; readonly at: number; readonly printerId: string }
  | { readonly type: 'tick'; readonly at: number };

export type DesiredWorker = { readonly printerId: string; readonly spec: string };

export type SupervisorAction =
  | { readonly type: 'spawn'; readonly printerId: string; readonly spec: string }
  | { readonly type: 'kill'; readonly printerId: string }
  | { readonly type: 'restart-scheduled'; readonly printerId: string; readonly delayMs: number; readonly failures: number };

export type SupervisorStep = { readonly state: SupervisorState; readonly actions: readonly SupervisorAction[] };

export const initialSupervisor: SupervisorState = { gateOpen: false, desired: new Map(), children: new Map() };

export function stepSupervisor(state: SupervisorState, event: SupervisorEvent, policy: BackoffPolicy): SupervisorStep {
  switch (event.type) {
    case 'gate-opened':
      return reconcile({ ...state, gateOpen: true }, event.at, []);
    case 'desired':
      return reconcile({ ...state, desired: new Map(event.workers.map((w) => [w.printerId, w.spec])) }, event.at, []);
    case 'tick':
      return reconcile(state, event.at, []);
    case 'exited':
      return exited(state, event.printerId, event.at, policy);
  }
}

function exited(state: SupervisorState, printerId: string, at: number, policy: BackoffPolicy): SupervisorStep {
  const children = new Map(state.children);
  const child = children.get(printerId);
  children.delete(printerId);
  if (child?.kind !== 'running' || !state.desired.has(printerId)) return reconcile({ ...state, children }, at, []);
  const failures = at - child.startedAt >= policy.stableMs ? 1 : child.failures + 1;
  const delayMs = restartDelay(failures, policy);
  children.set(printerId, { kind: 'backoff', until: at + delayMs, failures });
  return reconcile({ ...state, children }, at, [{ type: 'restart-scheduled', printerId, delayMs, failures }]);
}

function reconcile(state: SupervisorState, at: number, actions: SupervisorAction[]): SupervisorStep {
  if (!state.gateOpen) return { state, actions };
  const children = new Map(state.children);
  for (const [printerId, child] of state.children) {
    const spec = state.desired.get(printerId);
    if (child.kind === 'running' && spec === child.spec) continue;
    if (child.kind === 'backoff' && spec !== undefined) continue;
    if (child.kind === 'running') {
      children.set(printerId, { kind: 'stopping' });
      actions.push({ type: 'kill', printerId });
    } else if (child.kind === 'backoff') {
      children.delete(printerId);
    }
  }
  for (const [printerId, spec] of state.desired) {
    const child = children.get(printerId);
    if (child === undefined) {
      children.set(printerId, { kind: 'running', startedAt: at, failures: 0, spec });
      actions.push({ type: 'spawn', printerId, spec });
    } else if (child.kind === 'backoff' && child.until <= at) {
      children.set(printerId, { kind: 'running', startedAt: at, failures: child.failures, spec });
      actions.push({ type: 'spawn', printerId, spec });
    }
  }
  return { state: { ...state, children }, actions };
}

/** When the supervisor next needs a tick (the earliest back-off end), if ever. */
export function nextWakeAt(state: SupervisorState): number | undefined {
  let next: number | undefined;
  for (const child of state.children.values()) if (child.kind === 'backoff' && (next === undefined || child.until < next)) next = child.until;
  return next;
}
