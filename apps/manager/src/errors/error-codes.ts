// Every error the API answers with: a stable code, its HTTP status and the
// message clients see. One table, looked up by code.
export const ERROR_CODES = {
  validation_failed: { status: 400, message: 'The request does not match the expected shape.' },
  bad_request: { status: 400, message: 'The request is malformed.' },
  unauthenticated: { status: 401, message: 'Sign in or send a valid API key.' },
  invalid_credentials: { status: 401, message: 'Wrong username or password.' },
  totp_required: { status: 401, message: 'Enter the code from your authenticator app.' },
  forbidden: { status: 403, message: 'You do not have permission for this.' },
  csrf_failed: { status: 403, message: 'The request failed the cross-site request check.' },
  step_up_required: { status: 403, message: 'Confirm your password to continue.' },
  totp_enrollment_required: { status: 403, message: 'Set up two-factor authentication first.' },
  session_only: { status: 403, message: 'This action needs a signed-in person, not an API key.' },
  not_found: { status: 404, message: 'Not found.' },
  no_snapshot: { status: 404, message: 'No recent camera picture of this printer.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  last_admin: { status: 409, message: 'The last active admin cannot be removed, disabled or demoted.' },
  username_taken: { status: 409, message: 'That username is taken.' },
  setup_complete: { status: 410, message: 'Setup has already been completed.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  weak_password: { status: 422, message: 'Choose a longer, less common password.' },
  invalid_token: { status: 422, message: 'The link is invalid or has expired.' },
  scope_not_allowed: { status: 422, message: 'The key cannot hold one of the requested permissions.' },
  too_many_requests: { status: 429, message: 'Too many requests; try again later.' },
  setup_required: { status: 503, message: 'The farm is not set up yet.' },
  unavailable: { status: 503, message: 'A backing service is unavailable.' },
  internal: { status: 500, message: 'Something went wrong.' },
  // Printer controls (apps/manager/src/control).
  not_connected: { status: 409, message: 'The printer is not connected.' },
  command_refused: { status: 422, message: 'The safety policy refused the command.' },
  printer_failed: { status: 502, message: 'The printer could not carry out the command.' },
  printer_timeout: { status: 504, message: 'The command was sent; the printer did not answer in time.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
