/**
 * Marlin's EMERGENCY_PARSER: a byte-level matcher in the receive interrupt that
 * acts on M108, M112, M410 and `M876 S<n>` the moment their line end arrives,
 * even when the command queue is full (it sees bytes before the ring-full
 * check, so even bytes that are then dropped are parsed). A leading `N<n>` is
 * skipped. The line still goes through the queue afterwards.
 */
export type EmergencyCommand = 'M108' | 'M112' | 'M410' | 'M876';

type State = 'start' | 'number' | 'command' | 'ignore';

const KEEP = 12;

export class EmergencyParser {
  private state: State = 'start';
  private readonly head = new Uint8Array(KEEP);
  private length = 0;

  feed(byte: number): EmergencyCommand | undefined {
    if (byte === 10 || byte === 13) {
      const found = this.state === 'command' ? this.match() : undefined;
      this.state = 'start';
      this.length = 0;
      return found;
    }
    switch (this.state) {
      case 'start':
        if (byte === 32) return undefined;
        if (byte === 78 /* N */) this.state = 'number';
        else this.startCommand(byte);
        return undefined;
      case 'number':
        if ((byte >= 48 && byte <= 57) || byte === 45 || byte === 43) return undefined;
        if (byte !== 32) this.startCommand(byte);
        return undefined;
      case 'command':
        if (this.length < KEEP) this.head[this.length++] = byte;
        else this.state = 'ignore';
        return undefined;
      case 'ignore':
        return undefined;
    }
  }

  private startCommand(byte: number): void {
    this.state = 'command';
    this.head[0] = byte;
    this.length = 1;
  }

  private match(): EmergencyCommand | undefined {
    const text = String.fromCharCode(...this.head.subarray(0, this.length));
    const word = /^(M108|M112|M410|M876)(?=$|[\s*])(.*)$/.exec(text.split('*')[0]?.trimEnd() ?? '');
    if (!word) return undefined;
    if (word[1] === 'M876') return /S\d/.test(word[2] ?? '') ? 'M876' : undefined;
    return word[1] as EmergencyCommand;
  }
}
