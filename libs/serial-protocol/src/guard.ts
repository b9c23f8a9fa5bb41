/**
 * The safety guard hook: called with every command right before it is
 * framed and written (file lines, scripts, direct and system commands; never
 * for the emergency M112). The real policy lives in `@farm/gcode` policy;
 * this package only defines the shape.
 */
export type GuardVerdict = { ok: true } | { ok: false; code: string; reason: string };

export type LineGuard = (command: string) => GuardVerdict;
