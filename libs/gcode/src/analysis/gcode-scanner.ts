import { cleanLine, stripFraming } from '../line/clean-line.js';
import { parseWords } from '../line/words.js';
import type { CommandWords } from '../line/words.js';
import type { CommandClassifier, EstimatorCommand, TimeEstimator } from './analysis.ports.js';
import { POW10, readNumber } from './byte-number.js';
import type { NumberCursor } from './byte-number.js';
import { CommandFacts, MAX_TOOL } from './command-facts.js';
import { LayerTracker } from './layer-tracker.js';
import { emptyMotionWords, MotionTracker } from './motion-tracker.js';
import type { MotionWords } from './motion-tracker.js';
import { SlicerFacts } from './slicer-facts.js';
import { ThumbnailCollector } from './thumbnail-collector.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

// Comment prefixes read without decoding the line.
const LAYER_CHANGE = ascii('LAYER_CHANGE');
const LAYER_NUMBER = ascii('LAYER:');
const PRINTING_OBJECT = ascii('printing object ');
const MESH = ascii('MESH:');
const S3D_LAYER = ascii('layer ');
// Frequent comments inside the print body that state nothing we keep: skipped without a string.
const NOISE = [
  'TYPE:',
  'WIDTH:',
  'HEIGHT:',
  'Z:',
  'TIME_ELAPSED:',
  'AFTER_LAYER_CHANGE',
  'BEFORE_LAYER_CHANGE',
  'WIPE_',
  'stop printing object',
  'FEATURE:',
  'LINE_WIDTH:',
  'LAYER_HEIGHT:',
  'Z_HEIGHT:',
  'CHANGE_LAYER',
  'PAUSE_PRINT',
].map(ascii);

const SEMICOLON = 59;
const SPACE = 32;
const TAB = 9;
const PAREN = 40;
const STAR = 42;
const MOTION_NAMES = ['G0', 'G1', 'G2', 'G3'] as const;

/**
 * Interprets one line at a time (as bytes) and keeps every fact the analysis
 * reports. Motion lines — nearly all of a file — are parsed in place without
 * creating strings; other commands go through the shared `parseWords`.
 */
export class GcodeScanner {
  commandCount = 0;
  readonly motion = new MotionTracker();
  readonly layers = new LayerTracker();
  readonly facts = new SlicerFacts();
  readonly thumbnails = new ThumbnailCollector();
  readonly commands: CommandFacts;
  private readonly words: MotionWords = emptyMotionWords();
  private readonly cursor: NumberCursor = { value: 0, end: 0 };

  /** Created at the first command, once header comments (flavour) have been read. */
  estimator: TimeEstimator | null = null;

  constructor(
    private estimatorFactory: ((context: { flavor: string | null }) => TimeEstimator) | null,
    classify: CommandClassifier | null,
  ) {
    this.commands = new CommandFacts(classify);
  }

  private startEstimator(): void {
    const factory = this.estimatorFactory;
    this.estimatorFactory = null;
    if (factory) this.estimator = factory({ flavor: this.facts.flavor });
  }

  line(buf: Buffer, start: number, end: number, lineNumber: number): void {
    let i = start;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i === end) return;
    const first = buf[i] as number;
    if (first === SEMICOLON) return this.comment(buf, i + 1, end, start);
    if (this.thumbnails.inBlock) this.thumbnails.abandon();
    if ((first | 0x20) === 0x67 /* g */ && this.fastMotion(buf, i + 1, end)) return;
    this.slowCommand(buf.toString('utf8', start, end), lineNumber);
  }

  /** G0–G3 without strings; false sends the line to the general path (G28.1, `(` comments, N-framing…). */
  private fastMotion(buf: Buffer, from: number, end: number): boolean {
    let i = from;
    const c0 = buf[i];
    if (c0 === undefined || c0 < 48 || c0 > 51) return false;
    const code = c0 - 48;
    const c1 = buf[i + 1];
    i++;
    if (c1 === 48 && code === 0) return false; // `G00` etc.: let parseWords normalise
    if (c1 !== undefined && i < end && ((c1 >= 48 && c1 <= 57) || c1 === 46)) return false;
    const w = this.words;
    w.x = w.y = w.z = w.e = w.f = w.i = w.j = w.r = NaN;
    // Numbers are read inline (digits into an integer mantissa, one division): this loop is the
    // analyser's hot path. Anything unusual (exponents, 10+ digits) goes through readNumber.
    while (i < end) {
      const c = buf[i] as number;
      if (c === SEMICOLON || c === STAR) break;
      if (c === PAREN) return false;
      const letter = c & 0xdf;
      if (letter < 65 || letter > 90) {
        i++;
        continue;
      }
      let j = i + 1;
      let d = buf[j] as number;
      while (d === SPACE) d = buf[++j] as number;
      let negative = false;
      if (d === 45 || d === 43) {
        negative = d === 45;
        d = buf[++j] as number;
      }
      // Up to 9 digits the mantissa fits an int32, which V8 keeps in integer registers.
      const intStart = j;
      let mantissa = 0;
      while (d >= 48 && d <= 57) {
        mantissa = (mantissa * 10 + (d - 48)) | 0;
        d = buf[++j] as number;
      }
      let digits = j - intStart;
      let fraction = 0;
      if (d === 46) {
        d = buf[++j] as number;
        const fractionStart = j;
        while (d >= 48 && d <= 57) {
          mantissa = (mantissa * 10 + (d - 48)) | 0;
          d = buf[++j] as number;
        }
        fraction = j - fractionStart;
        digits += fraction;
      }
      let v: number;
      if (digits === 0 || j > end) {
        v = NaN;
        j = i + 1;
      } else if (digits > 9 || d === 101 || d === 69) {
        readNumber(buf, i + 1, end, this.cursor);
        v = this.cursor.value;
        j = this.cursor.end;
      } else {
        // One correctly rounded division: the same double as Number(text).
        v = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
        if (negative) v = -v;
      }
      i = j;
      switch (letter) {
        case 88:
          w.x = v;
          break;
        case 89:
          w.y = v;
          break;
        case 90:
          w.z = v;
          break;
        case 69:
          w.e = v;
          break;
        case 70:
          w.f = v;
          break;
        case 73:
          w.i = v;
          break;
        case 74:
          w.j = v;
          break;
        case 82:
          w.r = v;
          break;
        default:
          break;
      }
    }
    this.commandCount++;
    this.move(code as 0 | 1 | 2 | 3, w);
    return true;
  }

  private move(code: 0 | 1 | 2 | 3, w: MotionWords): void {
    if (this.estimatorFactory) this.startEstimator();
    const laid = this.motion.move(code, w);
    if (laid && this.layers.extruded(this.motion.z)) this.estimator?.markLayer();
    const estimator = this.estimator;
    if (estimator === null) return;
    if (estimator.move) estimator.move(code, w);
    else estimator.feed({ name: MOTION_NAMES[code], params: motionParams(w) });
  }

  private slowCommand(raw: string, lineNumber: number): void {
    const clean = stripFraming(cleanLine(raw));
    if (clean === '') return;
    this.commandCount++;
    if (this.estimatorFactory) this.startEstimator();
    const words = parseWords(clean);
    if (
      words.letter === 'G' &&
      (words.code === '0' || words.code === '1' || words.code === '2' || words.code === '3')
    ) {
      this.move(Number(words.code) as 0 | 1 | 2 | 3, wordsToMotion(words, this.words));
      return;
    }
    const klipper = words.letter === '' ? klipperArgs(words.text) : null;
    this.modal(words);
    this.commands.command(words, klipper, lineNumber, this.motion.tool);
    if (this.estimator) this.estimator.feed(estimatorCommand(words, klipper));
  }

  /** Modes and positions that change how later moves read. */
  private modal(words: CommandWords): void {
    const m = this.motion;
    switch (words.name) {
      case 'G90':
        m.absoluteXYZ = true;
        m.absoluteE = true;
        break;
      case 'G91':
        m.absoluteXYZ = false;
        m.absoluteE = false;
        break;
      case 'M82':
        m.absoluteE = true;
        break;
      case 'M83':
        m.absoluteE = false;
        break;
      case 'G92':
        m.setPosition(words.params);
        break;
      case 'G28':
        m.home(words.params);
        break;
      case 'G20':
        m.setUnitInches(true);
        break;
      case 'G21':
        m.setUnitInches(false);
        break;
      default:
        if (words.letter === 'T' && /^\d+$/.test(words.code) && Number(words.code) <= MAX_TOOL)
          m.tool = Number(words.code);
    }
  }

  private comment(buf: Buffer, from: number, end: number, lineStart: number): void {
    if (this.thumbnails.inBlock) {
      this.thumbnails.comment(buf.toString('latin1', from, end).trimStart());
      return;
    }
    let i = from;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    if (i === end) return;
    if (startsWith(buf, i, end, LAYER_CHANGE)) return this.layerMarker(end - i === LAYER_CHANGE.length, 'layer-change');
    if (startsWith(buf, i, end, LAYER_NUMBER)) return this.layerMarker(true, 'layer-number');
    if (startsWith(buf, i, end, PRINTING_OBJECT))
      return this.commands.addObject('printing-object', buf.toString('utf8', i + PRINTING_OBJECT.length, end).trim());
    if (startsWith(buf, i, end, MESH))
      return this.commands.addObject('mesh', buf.toString('utf8', i + MESH.length, end).trim());
    const c = buf[i] as number;
    if ((c >= 48 && c <= 57) || c === 45 || c === 46) return; // PrusaSlicer's `;0.2` before-layer Z
    for (const noise of NOISE) if (startsWith(buf, i, end, noise)) return;
    if (startsWith(buf, i, end, S3D_LAYER) && /^layer \d+, Z = /.test(buf.toString('latin1', i, end)))
      return this.layerMarker(true, 'layer-s3d');
    const text = buf.toString('utf8', i, end).trimEnd();
    if (this.thumbnails.comment(text)) return;
    if (this.facts.comment(text)) this.facts.remember(buf.toString('utf8', lineStart, end).trimEnd());
  }

  private layerMarker(exact: boolean, style: 'layer-change' | 'layer-number' | 'layer-s3d'): void {
    if (!exact || !this.layers.marker(style)) return;
    this.motion.trackPrinted = true;
    if (this.estimatorFactory) this.startEstimator();
    this.estimator?.markLayer();
  }
}

function startsWith(buf: Buffer, at: number, end: number, pattern: Uint8Array): boolean {
  if (end - at < pattern.length) return false;
  for (let k = 0; k < pattern.length; k++) if (buf[at + k] !== pattern[k]) return false;
  return true;
}

function motionParams(w: MotionWords): Record<string, number> {
  const p: Record<string, number> = {};
  if (w.x === w.x) p.X = w.x;
  if (w.y === w.y) p.Y = w.y;
  if (w.z === w.z) p.Z = w.z;
  if (w.e === w.e) p.E = w.e;
  if (w.f === w.f) p.F = w.f;
  if (w.i === w.i) p.I = w.i;
  if (w.j === w.j) p.J = w.j;
  if (w.r === w.r) p.R = w.r;
  return p;
}

function wordsToMotion(words: CommandWords, into: MotionWords): MotionWords {
  const get = (k: string): number => {
    const v = words.params[k];
    return typeof v === 'number' ? v : NaN;
  };
  into.x = get('X');
  into.y = get('Y');
  into.z = get('Z');
  into.e = get('E');
  into.f = get('F');
  into.i = get('I');
  into.j = get('J');
  into.r = get('R');
  return into;
}

/** Klipper `NAME=value` arguments (quoted values keep their spaces). */
function klipperArgs(text: string): Map<string, string> {
  const args = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_][\w]*)=("[^"]*"|\S*)/g)) {
    args.set((m[1] ?? '').toUpperCase(), (m[2] ?? '').replace(/^"(.*)"$/, '$1'));
  }
  return args;
}

function estimatorCommand(words: CommandWords, klipper: Map<string, string> | null): EstimatorCommand {
  if (!klipper) return { name: words.name, params: words.params };
  if (klipper.size === 0) return { name: words.name, params: {}, text: words.text };
  const params: Record<string, number | true> = {};
  for (const [k, v] of klipper) {
    const n = Number(v);
    params[k] = v !== '' && Number.isFinite(n) ? n : true;
  }
  return { name: words.name, params, text: words.text };
}
