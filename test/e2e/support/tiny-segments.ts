/**
 * G-code made of tiny segments: circles of `segmentMm` chords, the shape that
 * starves a one-line-in-flight host (serial-protocol.md §3.4). Deterministic,
 * so runs compare.
 */
export interface TinySegmentOptions {
  segments: number;
  segmentMm?: number;
  radiusMm?: number;
  feedMmPerMin?: number;
  centreX?: number;
  centreY?: number;
}

export function tinySegmentGcode(options: TinySegmentOptions): string {
  const segmentMm = options.segmentMm ?? 0.1;
  const radius = options.radiusMm ?? 20;
  const cx = options.centreX ?? 110;
  const cy = options.centreY ?? 110;
  const step = segmentMm / radius;
  // Extrusion per mm for a 0.4 mm wide, 0.2 mm high line of 1.75 mm filament.
  const ePerMm = (0.4 * 0.2) / (Math.PI * 0.875 * 0.875);
  const lines = [
    '; tiny-segment benchmark file: circles of 0.1 mm chords',
    'G21',
    'G90',
    'M82',
    // Start on the circle (no travel move), so all motion time is the segments'.
    `G92 X${(cx + radius).toFixed(3)} Y${cy.toFixed(3)} Z0.2 E0`,
  ];
  let e = 0;
  for (let i = 1; i <= options.segments; i++) {
    const angle = i * step;
    e += segmentMm * ePerMm;
    const feed = i === 1 ? ` F${options.feedMmPerMin ?? 3000}` : '';
    lines.push(`G1 X${(cx + radius * Math.cos(angle)).toFixed(3)} Y${(cy + radius * Math.sin(angle)).toFixed(3)} E${e.toFixed(5)}${feed}`);
  }
  lines.push('M400', '');
  return lines.join('\n');
}
