import type { Box } from './analysis.types.js';

/** Running min/max per axis; each axis fills on its own (after G28 an axis may be unknown for a while). */
export class BoxAccumulator {
  minX = Infinity;
  minY = Infinity;
  minZ = Infinity;
  maxX = -Infinity;
  maxY = -Infinity;
  maxZ = -Infinity;

  addXY(x: number, y: number): void {
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
  }

  addX(x: number): void {
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
  }

  addY(y: number): void {
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
  }

  addZ(z: number): void {
    if (z < this.minZ) this.minZ = z;
    if (z > this.maxZ) this.maxZ = z;
  }

  result(): Box | null {
    if (this.minX > this.maxX || this.minY > this.maxY) return null;
    const hasZ = this.minZ <= this.maxZ;
    return {
      min: { x: round(this.minX), y: round(this.minY), z: hasZ ? round(this.minZ) : 0 },
      max: { x: round(this.maxX), y: round(this.maxY), z: hasZ ? round(this.maxZ) : 0 },
    };
  }
}

/** Arc extremes are computed with trigonometry; 1 µm is far below anything a printer resolves. */
function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
