import type { LayerInfo } from './analysis.types.js';

/** Layer markers slicers write: PrusaSlicer/Orca `;LAYER_CHANGE`, Cura/Creality/ideaMaker `;LAYER:n`, Simplify3D `; layer n, Z = …`. */
/** Per-layer Z values kept (the count goes on): far above real prints, a bound for hostile ones. */
const MAX_LAYERS_KEPT = 100_000;

export type LayerMarker = 'layer-change' | 'layer-number' | 'layer-s3d';

/**
 * Counts layers two ways at once, because which one applies is only known at
 * the end: by the slicer's markers (the first marker style seen), and by rises
 * in Z while extruding (for files without markers, e.g. Slic3r 1.x). Both
 * lists hold one Z per layer, so memory follows the layer count, not the size.
 */
export class LayerTracker {
  private markerStyle: LayerMarker | null = null;
  private readonly markerZ: number[] = [];
  private markerPending = false;
  private markerCount = 0;
  private climbCount = 0;
  private readonly climbZ: number[] = [];
  private climbTop = 0;
  /** For each layer start reported to the estimator: true = a marker, false = a Z rise. */
  readonly startKinds: boolean[] = [];

  /** Returns true when this marker starts a layer. */
  marker(style: LayerMarker): boolean {
    this.markerStyle ??= style;
    if (style !== this.markerStyle) return false;
    this.markerCount++;
    if (this.markerZ.length < MAX_LAYERS_KEPT) {
      this.markerZ.push(NaN);
      this.markerPending = true;
    }
    this.startKinds.push(true);
    return true;
  }

  /** Called for every move that lays filament; returns true when a Z rise starts a layer the estimator should mark. */
  extruded(z: number): boolean {
    if (this.markerPending) {
      this.markerZ[this.markerZ.length - 1] = z;
      this.markerPending = false;
    }
    // Runs for every extruding move: the last Z is kept in a field, not read back from the list.
    if (this.climbCount > 0 && z <= this.climbTop + 1e-4) return false;
    this.climbTop = z;
    this.climbCount++;
    if (this.climbZ.length < MAX_LAYERS_KEPT) this.climbZ.push(z);
    else this.climbZ[this.climbZ.length - 1] = z;
    // Once the file has shown markers, Z rises no longer start layers for the estimator.
    if (this.markerZ.length > 0) return false;
    this.startKinds.push(false);
    return true;
  }

  get usesMarkers(): boolean {
    return this.markerZ.length > 0;
  }

  result(statedCount: number | null): LayerInfo {
    const markers = this.markerZ.length > 0;
    const z = (markers ? this.markerZ : this.climbZ).filter((v) => !Number.isNaN(v)).map(roundZ);
    const count = markers ? this.markerCount : this.climbCount;
    const heights = z.slice(1).map((v, i) => roundZ(v - (z[i] as number)));
    return {
      count,
      statedCount,
      source: count === 0 ? 'none' : markers ? 'markers' : 'z-changes',
      z,
      firstLayerHeight: z[0] ?? null,
      typicalHeight: mostCommon(heights.filter((h) => h > 0)),
    };
  }
}

function roundZ(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

function mostCommon(values: number[]): number | null {
  const counts = new Map<number, number>();
  let best: number | null = null;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) [best, bestCount] = [v, c];
  }
  return best;
}
