// Looks a program up on PATH the way a shell would. Pure: the file check is injected.
import path from 'node:path';

export function findOnPath(
  name: string,
  searchPath: string | undefined,
  isExecutableFile: (candidate: string) => boolean,
): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue; // an empty PATH entry means the current folder: never run a program from there
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
