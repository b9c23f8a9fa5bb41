import { Corners } from './corners.js';
import type { MoveVector } from './junction.js';
import { applyLimitCommand } from './limit-commands.js';
import { defaultMotionLimits, type MotionLimits } from './motion-limits.js';
import { Planner } from './planner.js';
import { arcLength, forEachArcPoint, type ArcTarget } from './arc.js';

/** One command as `parseWords` gives it; `text` carries the rest of the line (Klipper `KEY=value` params). */
export interface EstimatorCommand {
  name: string;
  params: Record<string, number | true>;
  text?: string;
}

/**
 * The words of one G0–G3 line as numbers, NaN where the word is absent: the
 * allocation-free form the streaming analyser passes for every move. The
 * estimator reads it during the call and keeps nothing of it.
 */
export interface MoveWords {
  x: number;
  y: number;
  z: number;
  e: number;
  f: number;
  i: number;
  j: number;
  r: number;
}

export interface PrintTimeEstimate {
  /** Includes `toolChanges × toolChangeSeconds`. */
  seconds: number;
  /** Changes of the active tool (`T<n>` selecting another tool than the current one). */
  toolChanges: number;
  /** Elapsed estimated seconds at which each marked layer starts, in order. */
  layerStartSeconds: number[];
}

const EPSILON = 1e-9;

/**
 * Estimates print time with a firmware-like motion model: trapezoidal
 * speed profiles, per-axis feedrate and acceleration caps, corner speeds
 * (classic jerk, junction deviation or Klipper square-corner velocity) and
 * look-ahead over a bounded window. Limits start from the constructor's and
 * follow what the file sets (M201/M203/M204/M205/M566/M220,
 * SET_VELOCITY_LIMIT). Heat-up waits (M109/M190) are not counted: their
 * length is not knowable from the file, and slicers leave them out too.
 */
export class PrintTimeEstimator {
  private readonly limits: MotionLimits;
  private readonly planner: Planner;
  private readonly layerStarts: number[] = [];
  /** Tool changes before each recorded layer start (their allowance is added at finish). */
  private readonly layerToolChanges: number[] = [];
  /** Move indexes at which marked layers start, not yet timed. */
  private readonly pendingLayers: number[] = [];
  private x = 0;
  private y = 0;
  private z = 0;
  private e = 0;
  private feedrate = 1500 / 60;
  private feedOverride = 1;
  private relativeXyz = false;
  private relativeE = false;
  private retracted = false;
  private tool: number | null = null;
  private toolChanges = 0;
  private readonly corners = new Corners();
  private readonly cur: MoveVector = { nominal: 0, vx: 0, vy: 0, vz: 0, ve: 0 };
  private readonly arc: ArcTarget = { x: 0, y: 0, z: 0, e: 0, i: 0, j: 0, r: 0, clockwise: true };
  /** `feed` turns a G0–G3 command into this and takes the same path as {@link move}. */
  private readonly words: MoveWords = { x: NaN, y: NaN, z: NaN, e: NaN, f: NaN, i: NaN, j: NaN, r: NaN };

  constructor(limits?: Partial<MotionLimits>) {
    const base = defaultMotionLimits(limits?.firmware ?? 'marlin');
    this.limits = {
      ...base,
      ...limits,
      maxFeedrate: { ...base.maxFeedrate, ...limits?.maxFeedrate },
      maxAcceleration: { ...base.maxAcceleration, ...limits?.maxAcceleration },
      maxJerk: { ...base.maxJerk, ...limits?.maxJerk },
    };
    this.planner = new Planner((index, start) => {
      while (this.pendingLayers.length > 0 && (this.pendingLayers[0] ?? 0) <= index) {
        this.pendingLayers.shift();
        this.recordLayer(start);
      }
      this.planner.watchIndex = this.pendingLayers[0] ?? Number.POSITIVE_INFINITY;
    });
  }

  /** Records that a new layer starts with the next move. */
  markLayer(): void {
    if (this.planner.queuedMoves === this.planner.timedMoves) this.recordLayer(this.planner.elapsed);
    else {
      this.pendingLayers.push(this.planner.queuedMoves);
      this.planner.watchIndex = this.pendingLayers[0] ?? Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Sets the allowance per tool change. May be called any time before
   * {@link finish}: PrusaSlicer states filament load/unload times in the
   * config block at the end of the file, after the tool changes.
   */
  setToolChangeSeconds(seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.limits.toolChangeSeconds = seconds;
  }

  finish(): PrintTimeEstimate {
    this.stop();
    const perChange = this.limits.toolChangeSeconds;
    return {
      seconds: this.planner.elapsed + this.toolChanges * perChange,
      toolChanges: this.toolChanges,
      layerStartSeconds: this.layerStarts.map((start, i) => start + (this.layerToolChanges[i] ?? 0) * perChange),
    };
  }

  private recordLayer(start: number): void {
    this.layerStarts.push(start);
    this.layerToolChanges.push(this.toolChanges);
  }

  feed(cmd: EstimatorCommand): void {
    const p = cmd.params;
    switch (cmd.name) {
      case 'G0':
        this.move(0, wordsFromParams(p, this.words));
        break;
      case 'G1':
        this.move(1, wordsFromParams(p, this.words));
        break;
      case 'G2':
        this.move(2, wordsFromParams(p, this.words));
        break;
      case 'G3':
        this.move(3, wordsFromParams(p, this.words));
        break;
      case 'G4': {
        const ms = num(p.P);
        const s = num(p.S);
        this.dwell(s !== undefined ? s : (ms ?? 0) / 1000);
        break;
      }
      case 'G28':
        this.dwell(this.limits.homingSeconds);
        this.homeAxes(p);
        break;
      case 'G10':
        if (p.P === undefined && p.L === undefined && !this.retracted) this.firmwareRetract(-1);
        break;
      case 'G11':
        if (this.retracted) this.firmwareRetract(1);
        break;
      case 'G90':
        this.relativeXyz = false;
        break;
      case 'G91':
        this.relativeXyz = true;
        break;
      case 'M82':
        this.relativeE = false;
        break;
      case 'M83':
        this.relativeE = true;
        break;
      case 'G92':
        this.setPosition(p);
        break;
      case 'M109':
      case 'M190':
      case 'M400':
      case 'M600':
        this.stop();
        break;
      case 'M201':
      case 'M203':
      case 'M204':
      case 'M205':
      case 'M566':
      case 'SET_VELOCITY_LIMIT':
        applyLimitCommand(this.limits, cmd.name, p, cmd.text ?? '');
        break;
      case 'M220': {
        const s = num(p.S);
        if (s !== undefined && s > 0) this.feedOverride = s / 100;
        break;
      }
      default:
        if (cmd.name.charCodeAt(0) === 0x54 /* T */) this.selectTool(cmd.name);
        break;
    }
  }

  /** A tool change stops motion and costs the profile's allowance (MMU unload + load, tool swap), added at finish. */
  private selectTool(name: string): void {
    const tool = Number(name.slice(1));
    if (!Number.isInteger(tool) || tool === this.tool) return;
    const first = this.tool === null;
    this.tool = tool;
    if (first) return;
    this.stop();
    this.toolChanges++;
  }

  /** A G0–G3 move (0–3) from numeric words; the analyser's per-move entry point, which allocates nothing. */
  move(code: 0 | 1 | 2 | 3, w: Readonly<MoveWords>): void {
    const f = w.f;
    if (f > 0 && f < Number.POSITIVE_INFINITY) this.feedrate = f / 60;
    const rel = this.relativeXyz;
    const x = w.x === w.x ? (rel ? this.x + w.x : w.x) : this.x;
    const y = w.y === w.y ? (rel ? this.y + w.y : w.y) : this.y;
    const z = w.z === w.z ? (rel ? this.z + w.z : w.z) : this.z;
    const e = w.e === w.e ? (this.relativeE || rel ? this.e + w.e : w.e) : this.e;
    if (code < 2) this.moveTo(x, y, z, e);
    else this.arcMove(x, y, z, e, w, code === 2);
  }

  private arcMove(x: number, y: number, z: number, e: number, w: Readonly<MoveWords>, clockwise: boolean): void {
    const a = this.arc;
    a.x = x;
    a.y = y;
    a.z = z;
    a.e = e;
    a.i = Number.isFinite(w.i) ? w.i : 0;
    a.j = Number.isFinite(w.j) ? w.j : 0;
    a.r = Number.isFinite(w.r) ? w.r : 0;
    a.clockwise = clockwise;
    const length = arcLength(this.x, this.y, this.z, a);
    if (!(length > 0)) {
      this.moveTo(a.x, a.y, a.z, a.e);
      return;
    }
    const segments = Math.max(1, Math.min(2000, Math.ceil(length / this.limits.arcSegmentLength)));
    forEachArcPoint(this.x, this.y, this.z, this.e, a, segments, this.moveToPoint);
  }

  // Bound once: arcs call it per segment.
  private readonly moveToPoint = (x: number, y: number, z: number, e: number): void => this.moveTo(x, y, z, e);

  private moveTo(x: number, y: number, z: number, e: number): void {
    const dx = x - this.x;
    const dy = y - this.y;
    const dz = z - this.z;
    const de = e - this.e;
    this.x = x;
    this.y = y;
    this.z = z;
    this.e = e;
    const xyz = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const hasXyz = xyz > EPSILON;
    const distance = hasXyz ? xyz : Math.abs(de);
    if (!(distance > EPSILON)) return;
    const L = this.limits;
    const inv = 1 / distance;
    const ux = Math.abs(dx) * inv;
    const uy = Math.abs(dy) * inv;
    const uz = Math.abs(dz) * inv;
    const ue = Math.abs(de) * inv;

    let nominal = this.feedrate * this.feedOverride;
    nominal = capByAxis(nominal, ux, L.maxFeedrate.x);
    nominal = capByAxis(nominal, uy, L.maxFeedrate.y);
    nominal = capByAxis(nominal, uz, L.maxFeedrate.z);
    nominal = capByAxis(nominal, ue, L.maxFeedrate.e);
    if (hasXyz && nominal > L.maxVelocity) nominal = L.maxVelocity;
    const minimum = de !== 0 ? L.minFeedrate : L.minTravelFeedrate;
    if (nominal < minimum) nominal = minimum;
    if (!(nominal > 0)) return;

    let accel = !hasXyz ? L.retractAcceleration : de !== 0 ? L.printAcceleration : L.travelAcceleration;
    accel = capByAxis(accel, ux, L.maxAcceleration.x);
    accel = capByAxis(accel, uy, L.maxAcceleration.y);
    accel = capByAxis(accel, uz, L.maxAcceleration.z);
    accel = capByAxis(accel, ue, L.maxAcceleration.e);
    const peakAccel =
      L.junction === 'square-corner' && L.accelToDecel !== null ? Math.min(accel, L.accelToDecel) : accel;

    const cur = this.cur;
    cur.nominal = nominal;
    cur.vx = dx * inv * nominal;
    cur.vy = dy * inv * nominal;
    cur.vz = dz * inv * nominal;
    cur.ve = de * inv * nominal;
    this.corners.next(L, cur, hasXyz, accel, distance);
    this.planner.add(distance, nominal, accel, peakAccel, this.corners.entry, this.corners.stop);
  }

  private firmwareRetract(direction: 1 | -1): void {
    this.retracted = direction < 0;
    const saved = this.feedrate;
    this.feedrate = this.limits.retractSpeed;
    this.moveTo(this.x, this.y, this.z, this.e + direction * this.limits.retractLength);
    this.feedrate = saved;
  }

  /** The machine comes to rest: everything queued is timed, layer marks resolved. */
  private stop(): void {
    this.planner.flush();
    this.corners.reset();
    for (let k = 0; k < this.pendingLayers.length; k++) this.recordLayer(this.planner.elapsed);
    this.pendingLayers.length = 0;
    this.planner.watchIndex = Number.POSITIVE_INFINITY;
  }

  private dwell(seconds: number): void {
    this.stop();
    if (seconds > 0) this.planner.dwell(seconds);
  }

  private homeAxes(p: Record<string, number | true>): void {
    const any = p.X !== undefined || p.Y !== undefined || p.Z !== undefined;
    if (!any || p.X !== undefined) this.x = 0;
    if (!any || p.Y !== undefined) this.y = 0;
    if (!any || p.Z !== undefined) this.z = 0;
  }

  private setPosition(p: Record<string, number | true>): void {
    const any = p.X !== undefined || p.Y !== undefined || p.Z !== undefined || p.E !== undefined;
    if (!any) {
      this.x = this.y = this.z = this.e = 0;
      return;
    }
    this.x = num(p.X) ?? this.x;
    this.y = num(p.Y) ?? this.y;
    this.z = num(p.Z) ?? this.z;
    this.e = num(p.E) ?? this.e;
  }
}

function num(value: number | true | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Numeric words from `parseWords` params: a word without a number (`true`) counts as absent, as NaN does. */
function wordsFromParams(p: Record<string, number | true>, into: MoveWords): MoveWords {
  into.x = numberOrNaN(p.X);
  into.y = numberOrNaN(p.Y);
  into.z = numberOrNaN(p.Z);
  into.e = numberOrNaN(p.E);
  into.f = numberOrNaN(p.F);
  into.i = numberOrNaN(p.I);
  into.j = numberOrNaN(p.J);
  into.r = numberOrNaN(p.R);
  return into;
}

function numberOrNaN(value: number | true | undefined): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function capByAxis(value: number, unit: number, axisMax: number): number {
  if (unit > EPSILON) {
    const cap = axisMax / unit;
    if (cap < value) return cap;
  }
  return value;
}
