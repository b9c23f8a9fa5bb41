import { describe, expect, it } from 'vitest';
import { parseWords } from './words.js';
import { cleanLine, stripFraming } from './clean-line.js';
import { checksum, frameLine } from './checksum.js';

describe('parseWords', () => {
  it('reads every number form the firmware accepts', () => {
    expect(parseWords('M104 S4e2').params.S).toBe(400);
    expect(parseWords('m104 s+400').params.S).toBe(400);
    expect(parseWords('G1 X.5 Y5. E-1.25').params).toEqual({ X: 0.5, Y: 5, E: -1.25 });
  });
  it('normalises the command word', () => {
    expect(parseWords('G01 X1').name).toBe('G1');
    expect(parseWords('g1x10y20').params).toEqual({ X: 10, Y: 20 });
    expect(parseWords('T1').name).toBe('T1');
  });
  it('skips quoted strings and tabs between a letter and its number', () => {
    expect(parseWords('M862.3 P "MK3S"').params).toEqual({ P: true });
    expect(parseWords('M104 S\t300').params).toEqual({ S: 300 });
  });
  it('marks flags without numbers and keeps free text', () => {
    expect(parseWords('G28 X Y').params).toEqual({ X: true, Y: true });
    const m117 = parseWords('M117 Hello S300');
    expect(m117.params).toEqual({});
    expect(m117.text).toBe('Hello S300');
  });
  it('names bare words such as Klipper macros', () => {
    expect(parseWords('set_heater_temperature HEATER=extruder TARGET=300').name).toBe('SET_HEATER_TEMPERATURE');
  });
});

describe('cleanLine / stripFraming / checksum', () => {
  it('removes both comment styles and whitespace', () => {
    expect(cleanLine('G1 X1 ; move\r')).toBe('G1 X1');
    expect(cleanLine('G1 (fast) X2')).toBe('G1  X2');
    expect(cleanLine('   ; only a comment')).toBe('');
  });
  it('strips host framing', () => {
    expect(stripFraming('N12 M104 S200*85')).toBe('M104 S200');
    expect(stripFraming('M104 S200')).toBe('M104 S200');
  });
  it('frames with the XOR checksum', () => {
    expect(checksum('N1 G28')).toBe(checksum('N1 G28'));
    expect(frameLine(0, 'M110 N0')).toBe('N0 M110 N0*125');
  });
});
