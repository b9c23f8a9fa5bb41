/** Target and centre of a `G2`/`G3` move (absolute end point; I/J relative to the start, or R). */
export interface ArcTarget {
  x: number;
  y: number;
  z: number;
  e: number;
  i: number;
  j: number;
  r: number;
  clockwise: boolean;
}

interface ArcGeometry {
  cx: number;
  cy: number;
  radius: number;
  startAngle: number;
  /** Signed sweep in radians: negative clockwise. */
  sweep: number;
}

// Reused: arcs are frequent in arc-fitted files and this runs per arc.
const geometry: ArcGeometry = { cx: 0, cy: 0, radius: 0, startAngle: 0, sweep: 0 };

/**
 * Centre, radius and sweep in the XY plane. The R form picks the centre on
 * the side that gives the short arc for R > 0 and the long arc for R < 0,
 * as Marlin and RRF do. Start = end with I/J is a full circle.
 */
function solve(x0: number, y0: number, a: ArcTarget): ArcGeometry | null {
  let cx: number;
  let cy: number;
  if (a.r !== 0 && a.i === 0 && a.j === 0) {
    const dx = a.x - x0;
    const dy = a.y - y0;
    const d = Math.hypot(dx, dy);
    if (d === 0) return null;
    const h2 = (a.r - d / 2) * (a.r + d / 2);
    const h = h2 > 0 ? Math.sqrt(h2) : 0;
    const side = a.clockwise !== a.r < 0 ? -1 : 1;
    cx = (x0 + a.x) / 2 + (side * h * -dy) / d;
    cy = (y0 + a.y) / 2 + (side * h * dx) / d;
  } else {
    cx = x0 + a.i;
    cy = y0 + a.j;
  }
  const sx = x0 - cx;
  const sy = y0 - cy;
  const ex = a.x - cx;
  const ey = a.y - cy;
  const radius = Math.hypot(sx, sy);
  if (!(radius > 0)) return null;
  let sweep = Math.atan2(sx * ey - sy * ex, sx * ex + sy * ey);
  if (a.clockwise) {
    if (sweep >= -1e-9) sweep -= 2 * Math.PI;
  } else if (sweep <= 1e-9) sweep += 2 * Math.PI;
  geometry.cx = cx;
  geometry.cy = cy;
  geometry.radius = radius;
  geometry.startAngle = Math.atan2(sy, sx);
  geometry.sweep = sweep;
  return geometry;
}

/** Path length of the arc (a helix when Z changes), not the chord. 0 when the arc is degenerate. */
export function arcLength(x0: number, y0: number, z0: number, a: ArcTarget): number {
  const g = solve(x0, y0, a);
  if (!g) return 0;
  return Math.hypot(Math.abs(g.sweep) * g.radius, a.z - z0);
}

/** Calls `visit` with the end point of each of `segments` equal chords along the arc (last = the target exactly). */
export function forEachArcPoint(
  x0: number,
  y0: number,
  z0: number,
  e0: number,
  a: ArcTarget,
  segments: number,
  visit: (x: number, y: number, z: number, e: number) => void,
): void {
  const g = solve(x0, y0, a);
  if (!g) {
    visit(a.x, a.y, a.z, a.e);
    return;
  }
  const { cx, cy, radius, startAngle, sweep } = g;
  for (let k = 1; k < segments; k++) {
    const t = k / segments;
    const angle = startAngle + sweep * t;
    visit(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle), z0 + (a.z - z0) * t, e0 + (a.e - e0) * t);
  }
  visit(a.x, a.y, a.z, a.e);
}
