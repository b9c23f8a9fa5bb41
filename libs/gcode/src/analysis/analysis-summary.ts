import type { GcodeAnalysis } from './analysis.types.js';

/** Human-readable lines for the CLI (and logs). */
export function summarizeAnalysis(a: GcodeAnalysis): string[] {
  const list = (v: Array<string | number>): string => (v.length > 0 ? v.join(', ') : '—');
  const time = a.time;
  const box = a.boundingBox.printed;
  const out = [
    `format          ${a.format}, ${a.sizeBytes} bytes, ${a.lineCount} lines, ${a.commandCount} commands`,
    `slicer          ${a.slicer ? `${a.slicer.name} ${a.slicer.version ?? ''}`.trim() : '—'}${a.postProcessors.length ? ` (post-processed by ${a.postProcessors.join(', ')})` : ''}`,
    `flavour         ${a.flavor ?? '—'}`,
    `printer model   ${a.printerModel ?? '—'}`,
    `nozzle          ${list(a.nozzleDiameters)}`,
    `filament        ${list(a.filament.types)} ${a.filament.colours.length ? `(${a.filament.colours.join(', ')})` : ''}`.trimEnd(),
    `  stated        ${list(a.filament.stated.lengthMm)} mm, ${list(a.filament.stated.weightG)} g, cost ${list(a.filament.stated.cost)}`,
    `  measured      ${list(a.filament.measuredMm)} mm`,
    `time            ${duration(time.seconds)}${time.source ? ` (${time.source})` : ''}`,
    `  stated        ${duration(time.stated.normalSeconds)} normal, ${duration(time.stated.silentSeconds)} silent`,
    `  estimated     ${time.estimate ? duration(time.estimate.seconds) : '—'}`,
    `M73             ${time.m73.count} commands (${time.m73.normal.length} normal / ${time.m73.silent.length} silent points)`,
    `layers          ${a.layers.count} (${a.layers.source})${a.layers.statedCount !== null ? `, stated ${a.layers.statedCount}` : ''}; first ${a.layers.firstLayerHeight ?? '—'} mm, typical ${a.layers.typicalHeight ?? '—'} mm`,
    `printed box     ${box ? `X ${box.min.x}…${box.max.x}  Y ${box.min.y}…${box.max.y}  Z ${box.min.z}…${box.max.z}` : '—'}`,
    `tools           ${list(a.tools.used)} (${a.tools.selectCount} selects, ${a.tools.changeCount} changes)`,
    `objects         ${a.objects.names.length} ${a.objects.source ? `(${a.objects.source})` : ''} ${a.objects.names.slice(0, 5).join(', ')}`.trimEnd(),
    `thumbnails      ${list(a.thumbnails.map((t) => `${t.format} ${t.width}x${t.height}`))}`,
    `peak temps      hotend ${JSON.stringify(a.peakTemperatures.hotend)}, bed ${a.peakTemperatures.bed ?? '—'}, chamber ${a.peakTemperatures.chamber ?? '—'}`,
    `restricted      ${list(a.restrictedCommands.map((r) => `${r.name} (${r.riskClass}) ×${r.count}`))}`,
  ];
  return out;
}

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h > 0 ? `${h}h ` : ''}${m}m ${s % 60}s`;
}
