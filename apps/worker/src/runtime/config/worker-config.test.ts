import { describe, expect, it } from 'vitest';
import { PRINTER_PRESETS } from '@farm/contracts';
import { parseWorkerConfig, WorkerConfigError } from './worker-config.js';

const profile = PRINTER_PRESETS[0]!.profile;
const spec = { printerId: 'p1', name: 'Printer 1', port: '/dev/ttyACM0', profile, cameraAllowedSubnets: [] };
const env = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: 'farm:',
  FARM_HOST_ID: 'host-a',
  FARM_CONTROL_KEY: 'ab'.repeat(32),
};

describe('port worker config', () => {
  it('reads the spec argument and the environment', () => {
    const config = parseWorkerConfig([JSON.stringify(spec)], env);
    expect(config).toMatchObject({
      spec,
      redisUrl: env.REDIS_URL,
      redisPrefix: 'farm:',
      hostId: 'host-a',
      logLevel: 'info',
    });
    expect(config.controlKey.bytes.toString('hex')).toBe(env.FARM_CONTROL_KEY);
  });

  it.each([
    ['no argument', [], env],
    ['two arguments', [JSON.stringify(spec), 'x'], env],
    ['bad JSON', ['{'], env],
    ['an extra spec field', [JSON.stringify({ ...spec, shell: 'rm' })], env],
    ['a printer id that could reach other keys', [JSON.stringify({ ...spec, printerId: 'a:b' })], env],
    ['no Redis URL', [JSON.stringify(spec)], { ...env, REDIS_URL: undefined }],
    ['a short control key', [JSON.stringify(spec)], { ...env, FARM_CONTROL_KEY: 'abcd' }],
    ['no host id', [JSON.stringify(spec)], { ...env, FARM_HOST_ID: '' }],
    ['an unknown log level', [JSON.stringify(spec)], { ...env, LOG_LEVEL: 'loud' }],
  ])('refuses %s', (_what, argv, environment) => {
    expect(() => parseWorkerConfig(argv, environment)).toThrow(WorkerConfigError);
  });
});
