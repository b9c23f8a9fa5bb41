import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/index.js';
import type { BgcodeDecoder, TimeEstimator } from '../../src/analysis/index.js';
import type { BgcodeItem, EstimatorCommand } from '../../src/analysis/analysis.ports.js';
import { analyzeInChunks, text } from './corpus-files.js';

class RecordingEstimator implements TimeEstimator {
  readonly commands: EstimatorCommand[] = [];
  layers = 0;
  constructor(readonly flavor: string | null) {}
  feed(cmd: EstimatorCommand): void {
    this.commands.push(cmd);
  }
  markLayer(): void {
    this.layers++;
    this.commands.push({ name: '<layer>', params: {} });
  }
  finish() {
    return { seconds: this.commands.length, layerStartSeconds: Array.from({ length: this.layers }, (_, k) => k * 10) };
  }
}

const GCODE = [
  ';FLAVOR:Klipper',
  'G28 ; home',
  'SET_VELOCITY_LIMIT ACCEL=2000 SQUARE_CORNER_VELOCITY=5',
  'M83',
  ';LAYER:0',
  'G1 Z0.2 F600',
  'G1 X10 Y0 E1 F1200',
  ';LAYER:1',
  'G1 Z0.4',
  'G1 X0 Y0 E1',
  'M117 done',
  '',
].join('\n');

describe('the analyser and its sibling modules', () => {
  it('feeds the estimator every command in order, with layer starts, and reports its result', async () => {
    let made: RecordingEstimator | null = null;
    const a = await analyzeInChunks(text(GCODE), () => 5, {
      estimator: ({ flavor }) => (made = new RecordingEstimator(flavor)),
      classify: null,
    });
    const estimator = made as RecordingEstimator | null;
    expect(estimator?.flavor).toBe('Klipper'); // header read before the first command
    expect(estimator?.commands.map((c) => c.name)).toEqual([
      'G28',
      'SET_VELOCITY_LIMIT',
      'M83',
      '<layer>',
      'G1',
      'G1',
      '<layer>',
      'G1',
      'G1',
      'M117',
    ]);
    expect(estimator?.commands[1]).toEqual({
      name: 'SET_VELOCITY_LIMIT',
      params: { ACCEL: 2000, SQUARE_CORNER_VELOCITY: 5 },
      text: 'ACCEL=2000 SQUARE_CORNER_VELOCITY=5',
    });
    expect(estimator?.commands[5]).toEqual({ name: 'G1', params: { X: 10, Y: 0, E: 1, F: 1200 } });
    expect(a.time.estimate).toEqual({ seconds: 10, layerStartSeconds: [0, 10] });
  });

  it('keeps the layer offsets of the layer kind it reports (Z rises when the file has no markers)', async () => {
    const noMarkers = 'M83\nG1 Z0.2\nG1 X5 E1\nG1 Z0.4\nG1 X0 E1\nG1 Z5 ; hop, no extrusion\n';
    const a = await analyzeInChunks(text(noMarkers), () => 64, {
      estimator: () => new RecordingEstimator(null),
      classify: null,
    });
    expect(a.layers).toMatchObject({ count: 2, source: 'z-changes', z: [0.2, 0.4], typicalHeight: 0.2 });
    expect(a.time.estimate?.layerStartSeconds).toEqual([0, 10]);
  });

  it('lists restricted commands with their class, count and first line', async () => {
    const gcode = 'G28\nM500\nG1 X1\nM500\nM303 E0 S200 C8\n';
    const a = await analyzeInChunks(text(gcode), () => 4, {
      estimator: null,
      classify: (w) => (w.name === 'M500' ? 'eeprom' : w.name === 'M303' ? 'autotune' : null),
    });
    expect(a.restrictedCommands).toEqual([
      { name: 'M500', riskClass: 'eeprom', count: 2, firstLine: 2 },
      { name: 'M303', riskClass: 'autotune', count: 1, firstLine: 5 },
    ]);
  });

  it('lists restricted commands through the real safety policy by default', async () => {
    const a = await analyzeInChunks(text('G28\nM502\nM907 E430\nG1 X1\nM42 P4 S255\n'), () => 100);
    expect(a.restrictedCommands.map((r) => `${r.name}:${r.riskClass}`)).toEqual(['M502:eeprom', 'M42:raw-io']);
  });

  it('merges .bgcode metadata and thumbnails and analyses its G-code text', async () => {
    const decoder: BgcodeDecoder = {
      isBgcode: (b) => b[0] === 0x47,
      async *decodeBgcode(source): AsyncIterable<BgcodeItem> {
        let bytes = 0;
        for await (const chunk of source) bytes += chunk.length;
        expect(bytes).toBe(12);
        yield { kind: 'metadata', section: 'file', entries: { Producer: 'PrusaSlicer 2.9.0' } };
        yield {
          kind: 'metadata',
          section: 'print',
          entries: { 'estimated printing time (normal mode)': '1h 2m 3s', 'filament used [mm]': '12.5' },
        };
        yield { kind: 'thumbnail', format: 'png', width: 16, height: 16, data: Uint8Array.of(0x89, 0x50) };
        yield { kind: 'gcode', text: 'M83\nG1 X1 Y1 E0.5\n' };
        yield { kind: 'gcode', text: 'G1 X2 E0.5\n' };
      },
    };
    const analyzer = createAnalyzer({ bgcode: decoder, estimator: null, classify: null });
    analyzer.push(text('GCDE'));
    analyzer.push(new Uint8Array(8));
    const a = await analyzer.finish();
    expect(a.format).toBe('bgcode');
    expect(a.slicer).toEqual({ name: 'PrusaSlicer', version: '2.9.0' });
    expect(a.time.stated.normalSeconds).toBe(3723);
    expect(a.filament.stated.lengthMm).toEqual([12.5]);
    expect(a.filament.measuredMm).toEqual([1]);
    expect(a.thumbnails).toEqual([
      { format: 'png', width: 16, height: 16, source: 'bgcode', data: Uint8Array.of(0x89, 0x50) },
    ]);
    expect(a.bgcodeMetadata.file).toEqual({ Producer: 'PrusaSlicer 2.9.0' });
    expect(a.statedLines).toContain('estimated printing time (normal mode)=1h 2m 3s');
  });

  it('refuses .bgcode clearly when no decoder is available', async () => {
    const analyzer = createAnalyzer({ bgcode: null });
    expect(() => analyzer.push(text('GCDE\u0001\u0000\u0000\u0000'))).toThrow(
      expect.objectContaining({ code: 'bgcode-unsupported' }),
    );
  });
});

describe('reading sources', () => {
  it('analyses an async stream and stops when its signal aborts', async () => {
    const { analyzeStream } = await import('../../src/analysis/index.js');
    async function* lines(): AsyncIterable<Uint8Array> {
      for (let k = 0; k < 100; k++) yield text(`G1 X${k} E${k}\n`);
    }
    const a = await analyzeStream(lines(), { estimator: null });
    expect(a.commandCount).toBe(100);
    const controller = new AbortController();
    controller.abort(new Error('upload cancelled'));
    await expect(analyzeStream(lines(), { signal: controller.signal })).rejects.toThrow('upload cancelled');
  });
});
