import { BoxAccumulator } from './box-accumulator.js';

/** The words of one G0–G3 line, parsed in place (NaN = word absent). Reused for every line. */
export interface MotionWords {
  x: number;
  y: number;
  z: number;
  e: number;
  f: number;
  i: number;
  j: number;
  r: number;
}

export function emptyMotionWords(): MotionWords {
  return { x: NaN, y: NaN, z: NaN, e: NaN, f: NaN, i: NaN, j: NaN, r: NaN };
}

const TAU = Math.PI * 2;
const INCH = 25.4;

/**
 * Follows the tool head through the moves: absolute/relative positioning
 * (G90/G91, which also switch E, as in Marlin and RepRapFirmware), M82/M83 for
 * E alone, G92 offsets, G20/G21 units, tool selection. It measures net
 * filament per tool and the two bounding boxes; arcs add their true extremes.
 */
export class MotionTracker {
  x = 0;
  y = 0;
  z = 0;
  e = 0;
  /** An axis is unknown at start and after homing, until a move or G92 sets it. */
  private knownX = false;
  private knownY = false;
  private knownZ = false;
  absoluteXYZ = true;
  absoluteE = true;
  private unit = 1;
  private activeTool = 0;
  /** Net filament of the active tool: a field, not an array slot, as it changes on nearly every move. */
  private activeExtruded = 0;
  /** Whether the active tool has an entry (it extruded or retracted at some point). */
  private activeHasEntry = false;
  private readonly byTool: number[] = [];
  readonly extruding = new BoxAccumulator();
  readonly all = new BoxAccumulator();
  /** Extrusion from the first layer marker on, so start-G-code purge lines stay out of the model's footprint. */
  readonly printed = new BoxAccumulator();
  trackPrinted = false;

  /**
   * The boxes skip points they already hold: after an extruding move the next
   * one starts at its end, and only axes a move names can change.
   */
  private boxesNeedFullPoint = true;
  private extrudingChain = false;
  private printedChain = false;

  /** Applies a G0–G3 move; returns true when it laid down filament along X/Y. */
  move(code: 0 | 1 | 2 | 3, w: MotionWords): boolean {
    const sx = this.x;
    const sy = this.y;
    const sz = this.z;
    const startKnownXY = this.knownX && this.knownY;
    const startKnownZ = this.knownZ;
    const u = this.unit;
    const hasX = w.x === w.x;
    const hasY = w.y === w.y;
    const hasZ = w.z === w.z;
    if (hasX) {
      this.x = this.absoluteXYZ ? w.x * u : this.x + w.x * u;
      this.knownX = true;
    }
    if (hasY) {
      this.y = this.absoluteXYZ ? w.y * u : this.y + w.y * u;
      this.knownY = true;
    }
    if (hasZ) {
      this.z = this.absoluteXYZ ? w.z * u : this.z + w.z * u;
      this.knownZ = true;
    }
    let eDelta = 0;
    if (w.e === w.e) {
      eDelta = this.absoluteE ? w.e * u - this.e : w.e * u;
      this.e += eDelta;
      if (eDelta !== 0) {
        this.activeExtruded += eDelta;
        this.activeHasEntry = true;
      }
    }
    const isArc = code >= 2;
    const movedXY = sx !== this.x || sy !== this.y || (isArc && (w.i === w.i || w.j === w.j));
    const laysFilament = eDelta > 0 && movedXY;

    const full = this.boxesNeedFullPoint;
    this.boxesNeedFullPoint = false;
    if (this.knownX && (hasX || full)) this.all.addX(this.x);
    if (this.knownY && (hasY || full)) this.all.addY(this.y);
    if (this.knownZ && (hasZ || full)) this.all.addZ(this.z);
    if (laysFilament && startKnownXY) {
      if (!this.extrudingChain) {
        this.extruding.addXY(sx, sy);
        if (startKnownZ) this.extruding.addZ(sz);
      }
      this.extruding.addXY(this.x, this.y);
      if (this.knownZ && (hasZ || !this.extrudingChain)) this.extruding.addZ(this.z);
      this.extrudingChain = true;
      if (this.trackPrinted) {
        if (!this.printedChain) this.printed.addXY(sx, sy);
        this.printed.addXY(this.x, this.y);
        if (this.knownZ && (hasZ || !this.printedChain)) this.printed.addZ(this.z);
        this.printedChain = true;
      }
    } else {
      this.extrudingChain = false;
      this.printedChain = false;
    }
    if (isArc && startKnownXY) this.addArcExtremes(code === 2, sx, sy, w, laysFilament);
    return laysFilament;
  }

  get tool(): number {
    return this.activeTool;
  }

  set tool(tool: number) {
    this.storeActive();
    this.activeTool = tool;
    const kept = this.byTool[tool];
    this.activeExtruded = kept ?? 0;
    this.activeHasEntry = kept !== undefined;
  }

  /** Net filament per tool (index = tool; a tool that never moved E has no entry). */
  get extrudedByTool(): readonly (number | undefined)[] {
    this.storeActive();
    return this.byTool;
  }

  private storeActive(): void {
    if (this.activeHasEntry) this.byTool[this.activeTool] = this.activeExtruded;
  }

  /** After G92 or homing the position jumps without a move: the next move adds full points again. */
  private positionJumped(): void {
    this.boxesNeedFullPoint = true;
    this.extrudingChain = false;
    this.printedChain = false;
  }

  /** G92: with no axis words every axis (and E) is set to zero. */
  setPosition(params: Record<string, number | true>): void {
    const u = this.unit;
    const keys = ['X', 'Y', 'Z', 'E'].filter((k) => typeof params[k] === 'number');
    if (keys.length === 0) {
      this.e = 0;
      return;
    }
    if (keys.some((k) => k !== 'E')) this.positionJumped();
    const value = (k: string): number => (params[k] as number) * u;
    if (keys.includes('X')) [this.x, this.knownX] = [value('X'), true];
    if (keys.includes('Y')) [this.y, this.knownY] = [value('Y'), true];
    if (keys.includes('Z')) [this.z, this.knownZ] = [value('Z'), true];
    if (keys.includes('E')) this.e = value('E');
  }

  /** G28: the homed axes end somewhere only the firmware knows (min, max, or a delta's top). */
  home(params: Record<string, number | true>): void {
    const named = ['X', 'Y', 'Z'].filter((k) => k in params);
    const axes = named.length === 0 ? ['X', 'Y', 'Z'] : named;
    this.positionJumped();
    if (axes.includes('X')) this.knownX = false;
    if (axes.includes('Y')) this.knownY = false;
    if (axes.includes('Z')) this.knownZ = false;
  }

  setUnitInches(inches: boolean): void {
    this.unit = inches ? INCH : 1;
  }

  private addArcExtremes(clockwise: boolean, sx: number, sy: number, w: MotionWords, printing: boolean): void {
    const ex = this.x;
    const ey = this.y;
    let cx: number;
    let cy: number;
    if (w.r === w.r && w.i !== w.i && w.j !== w.j) {
      // R form: the centre lies on the perpendicular bisector; a negative R picks the long way round.
      const dx = (ex - sx) / 2;
      const dy = (ey - sy) / 2;
      const d = Math.hypot(dx, dy);
      if (d === 0) return;
      const r = w.r * this.unit;
      const h = Math.sqrt(Math.max(0, r * r - d * d));
      const side = clockwise !== r < 0 ? -1 : 1;
      cx = sx + dx + (side * h * -dy) / d;
      cy = sy + dy + (side * h * dx) / d;
    } else {
      cx = sx + (w.i === w.i ? w.i * this.unit : 0);
      cy = sy + (w.j === w.j ? w.j * this.unit : 0);
    }
    const radius = Math.hypot(sx - cx, sy - cy);
    const a0 = Math.atan2(sy - cy, sx - cx);
    const a1 = Math.atan2(ey - cy, ex - cx);
    // Sweep measured in the direction of travel; equal ends mean a full circle.
    let sweep = clockwise ? a0 - a1 : a1 - a0;
    if (sweep <= 1e-12) sweep += TAU;
    for (let k = 0; k < 4; k++) {
      const axisAngle = (k * Math.PI) / 2;
      let along = clockwise ? a0 - axisAngle : axisAngle - a0;
      along = ((along % TAU) + TAU) % TAU;
      if (along > sweep) continue;
      const px = cx + radius * Math.cos(axisAngle);
      const py = cy + radius * Math.sin(axisAngle);
      this.all.addXY(px, py);
      if (printing) this.extruding.addXY(px, py);
      if (printing && this.trackPrinted) this.printed.addXY(px, py);
    }
  }
}
