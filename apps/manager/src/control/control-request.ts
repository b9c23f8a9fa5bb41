// Builds and signs one control request for the host whose workers must act on it.
import { randomBytes } from 'node:crypto';
import { hostControlKey, newNonce, signControl, type ControlCommand, type SignedControl } from '@farm/contracts';

export interface IssuedBy {
  userId: string;
  role: string;
}

export interface ControlSigner {
  sign(input: {
    printerId: string;
    hostId: string;
    command: ControlCommand;
    issuedBy: IssuedBy;
    issuedAt: number;
  }): SignedControl;
}

export function newRequestId(): string {
  return randomBytes(12).toString('base64url');
}

/** Each host verifies with its own key, so a request signed for one host is worthless on another. */
export function createControlSigner(jobSigningSecret: string): ControlSigner {
  return {
    sign({ printerId, hostId, command, issuedBy, issuedAt }) {
      return signControl(
        { v: 1, id: newRequestId(), printerId, issuedAt, nonce: newNonce(), issuedBy, command },
        hostControlKey(jobSigningSecret, hostId),
      );
    },
  };
}
