// The agent's side of the manager's agent API. Every call resolves (never
// rejects) with what happened, so a manager that is down, slow, revoked the
// token or answers nonsense never crashes the agent: the caller decides.
import Value from 'typebox/value';
import { AgentState, type AgentPortsReport } from '@farm/contracts';

export type ManagerFailure =
  /** 401/403: the host token was revoked (or is wrong). */
  | { readonly kind: 'unauthorized'; readonly status: number }
  /** Network error, timeout, 5xx, or an answer that does not follow the contract. */
  | { readonly kind: 'unavailable'; readonly reason: string };

export type StateResult = { readonly kind: 'ok'; readonly state: AgentState } | ManagerFailure;
export type ReportResult = { readonly kind: 'ok' } | ManagerFailure;

export type ManagerClientOptions = {
  readonly baseUrl: string;
  readonly hostToken: string;
  readonly timeoutMs?: number;
};

const MAX_STATE_BYTES = 4 * 1024 * 1024;

export class ManagerClient {
  constructor(private readonly options: ManagerClientOptions) {}

  async fetchState(): Promise<StateResult> {
    const response = await this.#request('GET', '/api/agent/state');
    if (response.kind !== 'response') return response;
    const { res } = response;
    if (res.status !== 200) return this.#failure(res);
    let body: unknown;
    try {
      const text = await res.text();
      if (text.length > MAX_STATE_BYTES) return { kind: 'unavailable', reason: 'the agent state is too large' };
      body = JSON.parse(text);
    } catch {
      return { kind: 'unavailable', reason: 'the agent state is not JSON' };
    }
    if (!Value.Check(AgentState, body)) {
      const first = Value.Errors(AgentState, body)[0];
      return { kind: 'unavailable', reason: `the agent state does not follow the contract${first ? ` (at ${first.instancePath || '/'}: ${first.message})` : ''}` };
    }
    return { kind: 'ok', state: body };
  }

  async reportPorts(report: AgentPortsReport): Promise<ReportResult> {
    const response = await this.#request('PUT', '/api/agent/ports', JSON.stringify(report));
    if (response.kind !== 'response') return response;
    const { res } = response;
    if (res.status === 204 || res.status === 200) {
      await res.arrayBuffer().catch(() => undefined); // free the socket for keep-alive
      return { kind: 'ok' };
    }
    return this.#failure(res);
  }

  async #failure(res: Response): Promise<ManagerFailure> {
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 401 || res.status === 403) return { kind: 'unauthorized', status: res.status };
    return { kind: 'unavailable', reason: `the manager answered ${res.status}` };
  }

  async #request(method: 'GET' | 'PUT', path: string, body?: string): Promise<{ kind: 'response'; res: Response } | ManagerFailure> {
    try {
      const res = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.hostToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      return { kind: 'response', res };
    } catch (error) {
      return { kind: 'unavailable', reason: describeFetchError(error) };
    }
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'the manager did not answer in time';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
