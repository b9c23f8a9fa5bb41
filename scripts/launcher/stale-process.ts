// A service left running by a launcher that was killed outright (SIGKILL, power
// loss of the terminal) still holds its data folder. Its pid file says which
// process that is; /proc confirms it is really that program before we stop it.
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export async function stopStaleProcess(
  pidFile: string,
  expectedName: string,
  signal: NodeJS.Signals,
): Promise<boolean> {
  const pid = await readPid(pidFile);
  if (pid === undefined || !(await isProcessNamed(pid, expectedName))) return false;
  try {
    process.kill(pid, signal);
  } catch {
    return false;
  }
  for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

async function readPid(pidFile: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readFile(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

async function isProcessNamed(pid: number, expectedName: string): Promise<boolean> {
  try {
    return (await fs.readFile(`/proc/${pid}/comm`, 'utf8')).trim() === expectedName;
  } catch {
    return false; // no such process, or no /proc (then we never guess)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
