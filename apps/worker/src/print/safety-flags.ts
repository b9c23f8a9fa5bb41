import type { SafetyProfile } from '@farm/gcode';

export interface SafetyFlags {
  maxHotendC: number;
  maxBedC: number;
  tools: number;
  knownMacros: readonly string[];
}

/**
 * The safety profile the stand-alone print command guards with. Only what
 * the command line states is known: `tools` hotends and a bed, each capped;
 * a chamber or a tool beyond `tools` is an unknown heater and any
 * temperature for it is refused.
 */
export function safetyProfileFromFlags(flags: SafetyFlags): SafetyProfile {
  return {
    firmware: 'other',
    heaters: { hotend: { toolCount: flags.tools, maxC: flags.maxHotendC }, bed: { maxC: flags.maxBedC } },
    knownMacros: flags.knownMacros,
  };
}
