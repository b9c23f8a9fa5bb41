/**
 * @farm/worker — the port worker (one serial stream, one printer) and its
 * transports. `PortWorker.open({ port, baudRate, guard, link })` opens a
 * device path or `tcp://host:port`, runs the protocol engine and emits
 * `PortWorkerEvent`s; `print({ id, path })` streams a file and resolves with
 * the job's result.
 */
export * from './transport/index.js';
export * from './port/index.js';
