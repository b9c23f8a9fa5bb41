import { writeOutOfBand } from './sender.js';
import type { Step } from './step.js';
import type { EngineInput, EngineState, JobPosition, JobResult, JobState, Outgoing, ScriptName } from './types.js';

/**
 * Job lifecycle: start (M110 N0, then file lines pulled on demand), pause,
 * resume and cancel with the printer's scripts, and the end of a job with
 * its result. A job is never restarted by the engine.
 */
export function startJob(step: Step, input: Extract<EngineInput, { type: 'startJob' }>): void {
  const s = step.s;
  if (s.phase !== 'ready' || s.job) {
    const reason = s.job ? 'a job is already running' : `printer is not ready (${s.phase})`;
    step.emit({ type: 'job.finished', jobId: input.id, result: { status: 'failed', code: 'not_ready', reason, at: null } });
    step.effects.push({ type: 'releaseSource', jobId: input.id });
    return;
  }
  s.job = {
    id: input.id,
    phase: 'starting',
    totalBytes: input.totalBytes ?? null,
    totalLines: input.totalLines ?? null,
    buffer: [],
    bufferAt: 0,
    pullOutstanding: false,
    sourceDone: false,
    // Line numbers restart with every job.
    script: [{ command: 'M110 N0', origin: { kind: 'system', purpose: 'renumber' }, barrier: true }],
    scriptInFlight: 0,
    acknowledged: null,
    acknowledgedLines: 0,
    linesSent: 0,
    positionUnknown: false,
    resendWarned: false,
    endSync: 'none',
  };
  step.emit({ type: 'job.started', jobId: input.id });
}

export function receiveLines(step: Step, input: Extract<EngineInput, { type: 'lines' }>): void {
  const job = step.s.job;
  if (!job || job.id !== input.jobId) return;
  job.pullOutstanding = false;
  if (job.sourceDone) return;
  job.buffer = job.buffer.slice(job.bufferAt).concat(input.lines);
  job.bufferAt = 0;
  if (input.done) job.sourceDone = true;
}

export function pauseJob(step: Step, runScript = true): void {
  const job = step.s.job;
  if (!job || (job.phase !== 'running' && job.phase !== 'starting' && job.phase !== 'resuming')) return;
  job.phase = 'pausing';
  job.script = [...pendingBarrier(job), ...(runScript ? scriptLines(step.s, 'pause') : [])];
}

export function resumeJob(step: Step, runScript = true): void {
  const job = step.s.job;
  if (!job || (job.phase !== 'paused' && job.phase !== 'pausing')) return;
  job.phase = 'resuming';
  job.script = [...pendingBarrier(job), ...(runScript ? scriptLines(step.s, 'resume') : [])];
}

/**
 * Stops feeding the file and runs the cancel script. With the emergency
 * parser, `M410` goes out at once (the firmware drops its planned moves on
 * arrival) and again in order, so moves the queued lines plan are dropped too.
 */
export function cancelJob(step: Step): void {
  const s = step.s;
  const job = s.job;
  if (!job || job.phase === 'cancelling') return;
  job.phase = 'cancelling';
  job.buffer = [];
  job.bufferAt = 0;
  releaseSource(step, job);
  const script = scriptLines(s, 'cancel');
  if (s.firmware?.capabilities.EMERGENCY_PARSER) {
    const sent = writeOutOfBand(step, 'M410', { kind: 'system', purpose: 'quickstop' });
    if (sent.ok) {
      job.positionUnknown = true;
      script.unshift({ command: 'M410', origin: { kind: 'script', script: 'cancel' } });
    }
  }
  job.script = [...pendingBarrier(job), ...script];
}

/** The job's opening M110 if it has not gone out yet: a new phase's script must not drop it. */
function pendingBarrier(job: JobState): Outgoing[] {
  return job.script.filter((item) => item.barrier);
}

/**
 * A file line that starts with `@` is a host command (OctoPrint's
 * `@pause`): never sent to the printer. `@pause` pauses the job there.
 */
export function hostCommandInFile(step: Step, command: string): void {
  const word = command.slice(1).split(/\s/)[0]?.toLowerCase();
  if (word === 'pause') pauseJob(step, true);
  else step.emit({ type: 'firmware.message', source: 'other', text: `host command skipped: ${command}` });
}

/** Moves the job to its next phase once what it waits for has happened. */
export function advanceJob(step: Step): void {
  const s = step.s;
  const job = s.job;
  if (!job) return;
  const settled = job.script.length === 0 && job.scriptInFlight === 0 && !fileLinesInFlight(s) && s.resend === null;
  switch (job.phase) {
    case 'starting':
      if (job.script.length === 0) job.phase = 'running';
      return;
    case 'running':
      if (job.sourceDone && job.bufferAt >= job.buffer.length && settled) endOfFile(step, job);
      return;
    case 'pausing':
      if (settled) {
        job.phase = 'paused';
        step.emit({ type: 'job.paused', jobId: job.id });
      }
      return;
    case 'resuming':
      if (job.script.length === 0) {
        job.phase = 'running';
        step.emit({ type: 'job.resumed', jobId: job.id });
      }
      return;
    case 'cancelling':
      if (settled) finishJob(step, { status: 'cancelled', lines: job.acknowledgedLines, at: job.acknowledged, positionUnknown: job.positionUnknown });
      return;
    case 'paused':
      return;
  }
}

export function failJob(step: Step, code: string, reason: string): void {
  const job = step.s.job;
  if (!job) return;
  finishJob(step, { status: 'failed', code, reason, at: job.acknowledged });
}

export function interruptJob(step: Step, code: Extract<JobResult, { status: 'interrupted' }>['code'], reason: string): void {
  const job = step.s.job;
  if (!job) return;
  finishJob(step, { status: 'interrupted', code, reason, at: job.acknowledged });
}

/**
 * File lines are acknowledged in file order, so a line at or before the last one counted is a
 * resent line acknowledged again (a doubled ok took it for done before the firmware asked for
 * it): counting it would push the count past the file's lines and the offset backwards.
 */
export function fileLineAcknowledged(s: EngineState, at: JobPosition): void {
  const job = s.job;
  if (!job) return;
  if (job.acknowledged && at.fileLine <= job.acknowledged.fileLine) return;
  job.acknowledged = at;
  job.acknowledgedLines++;
}

/** The closing sync's own reply came: everything before it has left the firmware's queue. */
export function endSyncAcknowledged(s: EngineState): void {
  if (s.job?.endSync === 'queued' || s.job?.endSync === 'nudged') s.job.endSync = 'done';
}

/**
 * Every line looks acknowledged, but a duplicated ok may have stood in for the last one's: a
 * numbered `M105` goes out, and only its own reply (`ok T:…`, or `ok N<n>` with ADVANCED_OK)
 * completes the job (see `acks.ts`).
 */
function endOfFile(step: Step, job: JobState): void {
  switch (job.endSync) {
    case 'none':
      job.endSync = 'queued';
      step.s.systemQueue.push({ command: 'M105', origin: { kind: 'system', purpose: 'finish' } });
      return;
    case 'queued':
    case 'nudged':
      return;
    case 'done':
      finishJob(step, { status: 'completed', lines: job.acknowledgedLines });
      return;
  }
}

function finishJob(step: Step, result: JobResult): void {
  const job = step.s.job;
  if (!job) return;
  releaseSource(step, job);
  step.s.job = null;
  restoreWindow(step);
  step.emit({ type: 'job.finished', jobId: job.id, result });
  step.emitCounters();
}

/** The ping-pong fallback lasts for one job (see `resend.ts`). */
function restoreWindow(step: Step): void {
  const s = step.s;
  if (!s.windowFallback) return;
  s.windowFallback = false;
  s.flow = 'window';
}

function releaseSource(step: Step, job: JobState): void {
  job.sourceDone = true;
  step.effects.push({ type: 'releaseSource', jobId: job.id });
}

function fileLinesInFlight(s: EngineState): boolean {
  return s.inFlight.some((entry) => entry.origin.kind === 'file');
}

function scriptLines(s: EngineState, script: ScriptName): Outgoing[] {
  return s.config.scripts[script].map((command) => ({ command, origin: { kind: 'script', script } }));
}
