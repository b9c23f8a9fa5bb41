import type { PolicyContext } from './policy.types.js';
import type { SafetyProfile } from './safety-profile.js';

/** Profiles and contexts shared by the policy tests. */
export const SINGLE_TOOL: SafetyProfile = {
  firmware: 'marlin',
  heaters: { hotend: { toolCount: 1, maxC: 260 }, bed: { maxC: 110 } },
};

export const TWO_TOOLS_WITH_CHAMBER: SafetyProfile = {
  firmware: 'reprapfirmware',
  heaters: { hotend: { toolCount: 2, maxC: 260, perToolMaxC: { 1: 300 } }, bed: { maxC: 110 }, chamber: { maxC: 60 } },
  rrfHeaters: { 0: { kind: 'bed' }, 1: { kind: 'hotend', tool: 0 }, 2: { kind: 'hotend', tool: 1 } },
  klipperHeaters: { chamber: { kind: 'chamber' } },
};

export function context(profile: SafetyProfile, actor: PolicyContext['actor'], extra: Partial<PolicyContext> = {}): PolicyContext {
  return { profile, actor, printerIdle: true, firmwareFlashAllowed: false, ...extra };
}
