// One error type for every refused or failed outbound request. Messages are
// generic on purpose: a caller may show them to the admin who typed the URL,
// and they must not become a port scanner or leak internal names.

export type OutboundErrorCode =
  | 'invalid-url'
  | 'scheme-not-allowed'
  | 'credentials-in-url'
  | 'address-blocked'
  | 'dns-failed'
  | 'connect-failed'
  | 'timeout'
  | 'redirect-refused'
  | 'bad-status'
  | 'too-large'
  | 'not-an-image';

const MESSAGES: Readonly<Record<OutboundErrorCode, string>> = {
  'invalid-url': 'The URL is not valid.',
  'scheme-not-allowed': 'Only http and https URLs are allowed.',
  'credentials-in-url': 'Credentials must not be part of the URL.',
  'address-blocked': 'The destination address is not allowed.',
  'dns-failed': 'The host name could not be resolved.',
  'connect-failed': 'The request failed.',
  timeout: 'The request timed out.',
  'redirect-refused': 'Redirects are not followed.',
  'bad-status': 'The server did not answer with success.',
  'too-large': 'The response is too large.',
  'not-an-image': 'The response is not an image.',
};

export class OutboundError extends Error {
  constructor(readonly code: OutboundErrorCode) {
    super(MESSAGES[code]);
    this.name = 'OutboundError';
  }
}
