// One printer's worker, assembled: the link (serial side, guarded), the live
// state in Redis, heartbeat, temperatures, serial log, signed controls, the
// emergency-stop channel, the heater watchdog and the webcam. The serial side
// and the watchdog never depend on Redis being there.
import {
  liveKeys,
  MemoryNonceStore,
  type ControlRequest,
  type ControlResult,
  type LiveKeys,
  type PrinterLiveState,
  type TemperatureSample,
} from '@farm/contracts';
import { createLineGuard, safetyProfileOf, type LineGuard, type SafetyProfile } from '@farm/gcode';
import type { JobResult } from '@farm/serial-protocol';
import { PortRuntimeError, type PortRuntimeOptions, type PrintStart, type RuntimeTuning } from './port-runtime-types.js';
import { commandedTargets, WatchdogRunner, watchdogConfig, type WatchdogAction } from '../watchdog/index.js';
import type { WebcamCapturer } from '../webcam/index.js';
import { webcamFor } from './webcam-setup.js';
import type { WorkerConfig } from './config/worker-config.js';
import { executeControl, failure, type ControlTarget } from './control-executor.js';
import type { LinkAction, PlanContext } from './control-plan.js';
import { ControlReader } from './control-reader.js';
import { EstopListener } from './estop-listener.js';
import { runLinkAction } from './link-actions.js';
import { LinkSupervisor, type SupervisorEvent } from './link-supervisor.js';
import { alarmReportOf, heatersOffLines, watchdogErrorOf } from './watchdog-reports.js';
import { heaterCapsOf, linkSettingsOf, watchdogSettingsOf } from './link-settings.js';
import { LivePublisher } from './live-publisher.js';
import { initialLiveModel, reduceLive, refreshRate, type LiveInput, type LiveModel } from './live-state.js';
import { errorText, type Logger } from './logger.js';
import { SerialLogGate } from './serial-log-gate.js';
import { closeWorkerRedis, openWorkerRedis, type WorkerRedis } from './redis-connections.js';
import { StateWriter } from './state-writer.js';

type Outcome = ControlResult['outcome'];

export { PortRuntimeError, type PortRuntimeOptions, type PrintStart, type RuntimeTuning } from './port-runtime-types.js';

const HEARTBEAT_MS = 3_000;
const WATCHERS_POLL_MS = 2_000;

export class PortRuntime {
  readonly #config: WorkerConfig;
  readonly #log: Logger;
  readonly #tuning: RuntimeTuning;
  readonly #keys: LiveKeys;
  readonly #printerId: string;
  readonly #safety: SafetyProfile;
  readonly #caps: Record<string, number>;
  readonly #redis: WorkerRedis;
  readonly #publisher: LivePublisher;
  readonly #supervisor: LinkSupervisor;
  readonly #stateWriter: StateWriter;
  readonly #watchdog: WatchdogRunner;
  readonly #nonces = new MemoryNonceStore();
  readonly #controls: ControlReader;
  readonly #estop: EstopListener;
  readonly #webcam: WebcamCapturer | undefined;
  readonly #timers: NodeJS.Timeout[] = [];
  #model: LiveModel;
  #jobRunning = false;
  #lastTemperatureSecond = -1;
  readonly #serialLog: SerialLogGate;
  /** Controls run one after another, so the lines of one (G91, G0, G90) never interleave with another's. */
  #controlChain: Promise<void> = Promise.resolve();
  #stopping = false;

  private constructor(options: PortRuntimeOptions, redis: WorkerRedis) {
    const { config } = options;
    const spec = config.spec;
    this.#config = config;
    this.#log = options.log;
    this.#tuning = options.tuning ?? {};
    this.#keys = liveKeys(config.redisPrefix);
    this.#printerId = spec.printerId;
    this.#safety = safetyProfileOf(spec.profile);
    this.#caps = heaterCapsOf(spec.profile);
    this.#redis = redis;
    this.#publisher = new LivePublisher(redis.main, this.#keys, this.#printerId, this.#log);
    this.#serialLog = new SerialLogGate(
      (direction, text, at) => this.#publisher.serialLog(direction, text, at),
      this.#tuning.logLinesPerSecond,
    );
    this.#model = initialLiveModel(this.#printerId, config.hostId, Date.now());
    this.#stateWriter = new StateWriter({
      write: (state) => this.#publisher.state(state),
      ...(this.#tuning.stateIntervalMs !== undefined ? { intervalMs: this.#tuning.stateIntervalMs } : {}),
    });

    // File lines are held to the file policy while a job runs; otherwise the
    // engine's own commands and already role-checked controls to the admin
    // (system) rules. Heater caps and blocked commands apply either way.
    const policyGuard = createLineGuard(this.#safety, () => ({
      actor: this.#jobRunning ? 'file' : 'system',
      printerIdle: !this.#jobRunning,
      firmwareFlashAllowed: false,
    }));
    // Every line that passes goes to the wire: the watchdog hears of heater
    // targets from here too, not only from the reports that confirm them.
    const guard: LineGuard = (command) => {
      const verdict = policyGuard(command);
      if (verdict.ok) for (const t of commandedTargets(command)) this.#watchdog.feed({ type: 'target-commanded', at: Date.now(), ...t });
      return verdict;
    };
    this.#supervisor = new LinkSupervisor({
      open: {
        port: spec.port,
        baudRate: spec.profile.baudRate,
        guard,
        link: { ...linkSettingsOf(spec.profile), ...this.#tuning.link },
      },
      onEvent: (event) => this.#onLinkEvent(event),
      log: this.#log,
      ...(this.#tuning.retry ? { retry: this.#tuning.retry } : {}),
    });

    this.#watchdog = new WatchdogRunner({
      config: watchdogConfig(this.#caps, { ...watchdogSettingsOf(spec.profile), ...this.#tuning.watchdog }),
      onAction: (action) => this.#onWatchdog(action),
    });

    this.#controls = new ControlReader({
      redis: redis.control,
      stream: this.#keys.controlStream(this.#printerId),
      printerId: this.#printerId,
      key: config.controlKey,
      nonces: this.#nonces,
      log: this.#log,
      handle: (request) => this.#onControl(request),
      answer: (result) => this.#publisher.controlResult(result),
    });
    this.#estop = new EstopListener({
      redis: redis.estop,
      channel: this.#keys.emergencyStop,
      printerId: this.#printerId,
      key: config.controlKey,
      nonces: this.#nonces,
      log: this.#log,
      stop: (request) => this.#emergencyStop(request, 'emergency-stop'),
    });

    this.#webcam = webcamFor(spec, { publisher: this.#publisher, log: this.#log, schedule: this.#tuning.webcamSchedule });
  }

  /** Connects to Redis, starts listening for controls, then opens the port (unless the profile says to wait). */
  static async start(options: PortRuntimeOptions): Promise<PortRuntime> {
    const redis = await openWorkerRedis(options.config.redisUrl, options.log, options.tuning?.redisReadyTimeoutMs);
    const runtime = new PortRuntime(options, redis);
    await runtime.#start();
    return runtime;
  }

  get state(): PrinterLiveState {
    return this.#model.state;
  }

  /**
   * Streams a file on this printer under the given job id; resolves with the
   * job's result (never retried here: an interrupted job waits for people).
   * The seam the farm queue's consumer calls.
   */
  async startPrint(request: PrintStart): Promise<JobResult> {
    if (!this.#supervisor.ready) throw new PortRuntimeError('not-connected', 'the printer is not connected');
    if (this.#jobRunning) throw new PortRuntimeError('busy', 'the printer is already printing');
    this.#jobRunning = true;
    try {
      return await this.#supervisor.print({ id: request.jobId, path: request.path });
    } finally {
      this.#jobRunning = false;
    }
  }

  /** Orderly end: close the port (a running job ends interrupted), then state offline, heartbeat gone, `printer.offline`. */
  async shutdown(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#watchdog.stop();
    await this.#webcam?.stop();
    await this.#supervisor.stop();
    this.#stateWriter.stop();
    await this.#controls.stop();
    this.#estop.stop();
    const state: PrinterLiveState = { ...this.#model.state, status: 'offline', updatedAt: Date.now() };
    delete state.job;
    try {
      await this.#publisher.offline(state);
    } catch (error) {
      this.#log.warn('could not report offline to redis', { error: errorText(error) });
    }
    await closeWorkerRedis(this.#redis);
  }

  async #start(): Promise<void> {
    await Promise.all([this.#controls.start(), this.#estop.start()]);
    this.#watchdog.start();
    this.#stateWriter.update(this.#model.state);
    this.#beat();
    this.#timers.push(setInterval(() => this.#beat(), this.#tuning.heartbeatMs ?? HEARTBEAT_MS));
    this.#timers.push(setInterval(() => this.#tick(), 1_000));
    if (this.#webcam) {
      this.#webcam.start();
      this.#timers.push(setInterval(() => this.#pollWatchers(), WATCHERS_POLL_MS));
    }
    if (this.#config.spec.profile.autoConnect !== false) this.#supervisor.connect();
  }

  #beat(): void {
    this.#publisher.heartbeat({
      printerId: this.#printerId,
      hostId: this.#config.hostId,
      pid: this.#tuning.pid ?? process.pid,
      at: Date.now(),
    });
  }

  #tick(): void {
    const now = Date.now();
    this.#apply(refreshRate(this.#model, now));
    this.#serialLog.flush(now);
  }

  #pollWatchers(): void {
    this.#publisher.snapshotWatchers().then(
      (count) => this.#webcam?.setWatchers(count),
      () => undefined,
    );
  }

  #reduce(input: LiveInput): void {
    this.#apply(reduceLive(this.#model, input, Date.now()));
  }

  #apply(next: LiveModel): void {
    if (next === this.#model) return;
    this.#model = next;
    if (!this.#stopping) this.#stateWriter.update(next.state);
  }

  #onLinkEvent(event: SupervisorEvent): void {
    const now = Date.now();
    switch (event.type) {
      case 'link.connecting':
        this.#reduce({ type: 'connecting' });
        return;
      case 'link.down':
        this.#jobRunning = false;
        this.#reduce(event.error ? { type: 'disconnected', error: event.error } : { type: 'disconnected' });
        return;
      case 'serial.log':
        this.#serialLog.line(event.direction, event.text, now, this.#jobRunning);
        return;
      case 'temperature': {
        this.#reduce({ type: 'port', event });
        const heaters = this.#model.state.heaters;
        this.#watchdog.feed({
          type: 'temperatures',
          at: now,
          readings: heaters.map((h) => ({ heater: h.heater, actualC: h.actualC, targetC: h.targetC })),
        });
        const second = Math.floor(now / 1000);
        if (second !== this.#lastTemperatureSecond && heaters.length > 0) {
          this.#lastTemperatureSecond = second;
          const sample: TemperatureSample = { printerId: this.#printerId, at: now, heaters };
          this.#publisher.temperature(sample);
        }
        return;
      }
      case 'job.started':
        this.#jobRunning = true;
        this.#watchdog.feed({ type: 'job-started', at: now });
        this.#reduce({ type: 'port', event });
        return;
      case 'job.finished':
        this.#jobRunning = false;
        this.#watchdog.feed({ type: 'job-ended', at: now });
        this.#reduce({ type: 'port', event });
        return;
      case 'connection.state':
        this.#reduce({ type: 'port', event });
        if (event.phase === 'ready') this.#afterConnect();
        return;
      case 'error':
        if (event.fatal) this.#log.warn('link error', { code: event.code, message: event.message });
        if (event.code === 'firmware_halted') this.#publisher.alarm({ at: now, reason: 'firmware-halted' });
        this.#reduce({ type: 'port', event });
        return;
      case 'transport.lost':
        this.#jobRunning = false;
        this.#log.warn('port lost', { cause: event.cause });
        this.#reduce({ type: 'port', event });
        return;
      default:
        this.#reduce({ type: 'port', event });
        return;
    }
  }

  /** After every (re)connect: heaters off (nothing resumes by itself) and a fresh watchdog. */
  #afterConnect(): void {
    this.#watchdog.feed({ type: 'reset', at: Date.now() });
    for (const line of heatersOffLines(this.#caps)) void this.#supervisor.sendCommand(line);
  }

  #onWatchdog(action: WatchdogAction): void {
    switch (action.type) {
      case 'heaters-off':
        this.#log.info('heaters off after idle time');
        for (const line of heatersOffLines(this.#caps)) void this.#supervisor.sendCommand(line);
        return;
      case 'emergency-stop': {
        const written = this.#supervisor.emergencyStop();
        const alarm = action.alarm;
        this.#log.error('heater watchdog stopped the printer', {
          reason: alarm.reason,
          heater: alarm.heater,
          wrote: written,
        });
        this.#publisher.alarm(alarmReportOf(alarm));
        this.#reduce({ type: 'stopped', error: watchdogErrorOf(alarm) });
        return;
      }
    }
  }

  #emergencyStop(request: ControlRequest, reason: string): Outcome {
    const written = this.#supervisor.emergencyStop();
    const now = Date.now();
    const outcome: Outcome = written ? { ok: true } : failure('not-connected', 'the port is closed; nothing to stop');
    this.#publisher.controlResult({ requestId: request.id, printerId: this.#printerId, at: now, outcome });
    if (written) {
      this.#publisher.alarm({ at: now, reason });
      this.#reduce({
        type: 'stopped',
        error: { code: 'emergency-stop', message: `emergency stop by ${request.issuedBy.userId}`.slice(0, 500) },
      });
    }
    this.#log.warn('emergency stop', { requestId: request.id, wrote: written });
    return outcome;
  }

  #onControl(request: ControlRequest): void {
    if (
      request.command.kind === 'emergency-stop' ||
      (request.command.kind === 'terminal' && /^\s*M112\s*$/i.test(request.command.line))
    ) {
      this.#emergencyStop(request, 'emergency-stop');
      return;
    }
    this.#controlChain = this.#controlChain.then(async () => {
      let outcome: Outcome;
      try {
        outcome = await executeControl(request, this.#controlTarget());
      } catch (error) {
        this.#log.error('control failed', { requestId: request.id, error: errorText(error) });
        outcome = failure('failed', 'the control could not be carried out');
      }
      this.#publisher.controlResult({ requestId: request.id, printerId: this.#printerId, at: Date.now(), outcome });
    });
  }

  #controlTarget(): ControlTarget {
    return {
      ready: this.#supervisor.ready,
      jobRunning: this.#jobRunning,
      planContext: (role): PlanContext => ({
        safety: this.#safety,
        caps: this.#caps,
        heaters: this.#model.state.heaters,
        role,
        idle: !this.#jobRunning,
      }),
      link: (action) => this.#linkAction(action),
      sendCommand: (command) => this.#supervisor.sendCommand(command),
      activity: () => this.#watchdog.feed({ type: 'user-command', at: Date.now() }),
    };
  }

  #linkAction(action: LinkAction): Promise<Outcome> {
    return runLinkAction(action, {
      supervisor: this.#supervisor,
      status: () => this.#model.state.status,
      lastError: () => this.#model.state.error?.message,
      cancelling: () => this.#reduce({ type: 'cancelling' }),
      stopping: () => this.#stopping,
      connectTimeoutMs: this.#tuning.connectTimeoutMs ?? 30_000,
    });
  }
}
