// The manager over real HTTP, as a browser would speak to it: setup with the
// one-time token, a cookie session with its CSRF token and Origin, JSON bodies.
// Each call opens its own connection (no keep-alive): a reused socket that the
// server is closing at that moment would fail a sample for no reason of its own.
import { request as httpRequest } from 'node:http';
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

export interface ManagerApi {
  readonly url: string;
  readonly origin: string;
  /** `name=value` of the session cookie, for the WebSocket handshake. */
  readonly cookie: string;
  call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer<T>>;
}

export interface Credentials {
  username: string;
  password: string;
}

/** Creates the first admin with the setup token, then logs in as that admin. */
export async function setUpAndLogIn(url: string, origin: string, setupToken: string, admin: Credentials): Promise<ManagerApi> {
  const setup = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ token: setupToken, ...admin, acknowledgements: { unattendedPrinting: true, networkExposure: true } }),
  });
  const setupText = await setup.text();
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setupText}`);

  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(admin),
  });
  const loginBody = (await login.json()) as { csrfToken?: string };
  const sessionCookie = login.headers.getSetCookie().find((c) => /^(__Host-)?farm_session=/.test(c));
  if (login.status !== 200 || !sessionCookie || !loginBody.csrfToken) throw new Error(`login failed: ${login.status} ${JSON.stringify(loginBody)}`);
  const cookie = sessionCookie.split(';')[0]!;
  const csrfToken = loginBody.csrfToken;

  return {
    url,
    origin,
    cookie,
    async call<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
      const answer = await request(`${url}${path}`, method, { cookie, origin, 'x-csrf-token': csrfToken }, body);
      return { status: answer.status, body: (answer.text === '' ? undefined : JSON.parse(answer.text)) as T };
    },
  };
}

function request(url: string, method: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        agent: false,
        headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => reject(new Error(`${method} ${url}: ${error.message}`)));
    req.end(payload);
  });
}
