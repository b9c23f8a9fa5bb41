/**
 * Where the toolhead is and how long a move takes: constant speed at the
 * commanded feedrate, capped by Marlin's stock per-axis maximum feedrates
 * (X/Y 300, Z 5, E 25 mm/s). Arcs are cut into 1 mm segments, one planner
 * block each, like Marlin's `MM_PER_ARC_SEGMENT`.
 */
type Axis = 'X' | 'Y' | 'Z' | 'E';
type Params = Record<string, number | true>;

const MAX_MM_PER_S: Record<Axis, number> = { X: 300, Y: 300, Z: 5, E: 25 };
const ARC_SEGMENT_MM = 1;
const MAX_ARC_SEGMENTS = 2000;

function num(params: Params, key: string): number | undefined {
  const value = params[key];
  return typeof value === 'number' ? value : undefined;
}

export class Kinematics {
  readonly position: Record<Axis, number> = { X: 0, Y: 0, Z: 0, E: 0 };
  feedMmPerMin = 1500;
  absolute = true;
  absoluteE = true;
  inches = false;

  /** G0/G1: returns the move's duration in ms of printer time, 0 when nothing moves. */
  linear(params: Params): number {
    this.takeFeedrate(params);
    const delta = { X: 0, Y: 0, Z: 0, E: 0 };
    for (const axis of ['X', 'Y', 'Z', 'E'] as const) {
      const target = this.target(params, axis);
      delta[axis] = target - this.position[axis];
      this.position[axis] = target;
    }
    return this.duration(Math.hypot(delta.X, delta.Y, delta.Z), delta);
  }

  /** G2 (clockwise) / G3: durations of the arc's segments. */
  arc(params: Params, clockwise: boolean): number[] {
    this.takeFeedrate(params);
    const start = { ...this.position };
    const end = { X: this.target(params, 'X'), Y: this.target(params, 'Y'), Z: this.target(params, 'Z'), E: this.target(params, 'E') };
    const scale = this.inches ? 25.4 : 1;
    let cx: number;
    let cy: number;
    const r = num(params, 'R');
    if (r !== undefined) {
      const radius = r * scale;
      const mx = (start.X + end.X) / 2;
      const my = (start.Y + end.Y) / 2;
      const half = Math.hypot(end.X - start.X, end.Y - start.Y) / 2;
      const h = Math.sqrt(Math.max(radius * radius - half * half, 0));
      const ux = (end.X - start.X) / (2 * half || 1);
      const uy = (end.Y - start.Y) / (2 * half || 1);
      const side = clockwise === radius > 0 ? -1 : 1;
      cx = mx - side * h * uy;
      cy = my + side * h * ux;
    } else {
      cx = start.X + (num(params, 'I') ?? 0) * scale;
      cy = start.Y + (num(params, 'J') ?? 0) * scale;
    }
    const radius = Math.hypot(start.X - cx, start.Y - cy);
    let sweep = Math.atan2(end.Y - cy, end.X - cx) - Math.atan2(start.Y - cy, start.X - cx);
    if (clockwise && sweep >= -1e-9) sweep -= 2 * Math.PI;
    if (!clockwise && sweep <= 1e-9) sweep += 2 * Math.PI;
    const length = Math.hypot(radius * Math.abs(sweep), end.Z - start.Z);
    Object.assign(this.position, end);
    const delta = { X: 0, Y: 0, Z: end.Z - start.Z, E: end.E - start.E };
    const total = this.duration(length, delta);
    if (total === 0) return [];
    const segments = Math.min(MAX_ARC_SEGMENTS, Math.max(1, Math.floor(length / ARC_SEGMENT_MM)));
    return new Array<number>(segments).fill(total / segments);
  }

  /** G92 */
  setPosition(params: Params): void {
    const scale = this.inches ? 25.4 : 1;
    const axes = (['X', 'Y', 'Z', 'E'] as const).filter((a) => params[a] !== undefined);
    for (const axis of axes.length > 0 ? axes : (['X', 'Y', 'Z', 'E'] as const)) {
      this.position[axis] = (num(params, axis) ?? 0) * scale;
    }
  }

  /** G28: the named axes (all when none is named) end at 0. */
  home(params: Params): void {
    const axes = (['X', 'Y', 'Z'] as const).filter((a) => params[a] !== undefined);
    for (const axis of axes.length > 0 ? axes : (['X', 'Y', 'Z'] as const)) this.position[axis] = 0;
  }

  private takeFeedrate(params: Params): void {
    const f = num(params, 'F');
    if (f !== undefined && f > 0) this.feedMmPerMin = f * (this.inches ? 25.4 : 1);
  }

  private target(params: Params, axis: Axis): number {
    const value = num(params, axis);
    if (value === undefined) return this.position[axis];
    const mm = value * (this.inches ? 25.4 : 1);
    const absolute = axis === 'E' ? this.absolute && this.absoluteE : this.absolute;
    return absolute ? mm : this.position[axis] + mm;
  }

  private duration(pathMm: number, delta: Record<Axis, number>): number {
    const path = pathMm > 1e-9 ? pathMm : Math.abs(delta.E);
    if (path <= 1e-9) return 0;
    let seconds = path / (this.feedMmPerMin / 60);
    for (const axis of ['X', 'Y', 'Z', 'E'] as const) {
      seconds = Math.max(seconds, Math.abs(delta[axis]) / MAX_MM_PER_S[axis]);
    }
    return seconds * 1000;
  }
}
