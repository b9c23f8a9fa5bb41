// Every value ../shared/gcode/MANIFEST.md quotes, per corpus file; the data is
// in corpus-expectations-*.ts, one file per slicer family.
import type { Expected } from './corpus-expectation-shape.js';
import { OTHER_SLICERS } from './corpus-expectations-other-slicers.js';
import { PRUSASLICER } from './corpus-expectations-prusaslicer.js';
import { SLIC3R } from './corpus-expectations-slic3r.js';

export type { Expected } from './corpus-expectation-shape.js';

/** In file-name order, as the corpus lists them. */
export const EXPECTED: Expected[] = [...OTHER_SLICERS, ...PRUSASLICER, ...SLIC3R];
