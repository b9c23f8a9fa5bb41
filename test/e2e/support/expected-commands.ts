import { readFile } from 'node:fs/promises';
import { bgcodeToGcode, cleanLine } from '@farm/gcode';

/**
 * The clean commands of a file in order: what the printer must execute for
 * a job of it. Read whole and split here, independently of the streaming
 * reader the worker uses, so a reader bug cannot hide on both sides.
 */
export async function expectedCommands(path: string): Promise<string[]> {
  const text = path.endsWith('.bgcode') ? await bgcodeToGcode(path) : await readFile(path, 'utf8');
  const commands: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const command = cleanLine(raw);
    if (command !== '') commands.push(command);
  }
  return commands;
}
