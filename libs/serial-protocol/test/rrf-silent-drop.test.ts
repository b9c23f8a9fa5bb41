import { describe, expect, it } from 'vitest';
import { EngineHarness, connect, framed, startJob } from './engine-harness.js';

/**
 * RepRapFirmware 3 drops a line with a bad checksum without a word: no error, no resend, no ok
 * (reference §2.3). It answers every line in order and its USB link loses no oks, so a numbered
 * `M105` probe sent when an ok is late tells a dropped line (the probe is answered first) from a
 * slow one (its ok comes first); the dropped line alone is resent, long before the timeout.
 */
const RRF_M115 = ['FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.5.2 ELECTRONICS: Duet 3 MB6HC v1.01 or later FIRMWARE_DATE: 2024-06-11 14:00:00'];
const RRF_M105 = 'ok T:25.0 /0.0 T0:25.0 /0.0 B:25.0 /0.0';
const FILE = ['G1 X1', 'G1 X2', 'G1 X3'];

function rrfJob(): EngineHarness {
  const h = new EngineHarness({ communicationTimeoutMs: 30_000, silentDropProbeMs: 500, temperaturePollMs: 600_000 });
  connect(h, {}, RRF_M115);
  h.receive(RRF_M105); // the first temperature poll
  h.written();
  startJob(h, FILE);
  expect(h.written()).toEqual(['N0 M110 N0*125']);
  h.receive('ok');
  expect(h.written()).toEqual([framed(1, 'G1 X1')]);
  h.receive('ok');
  expect(h.written()).toEqual([framed(2, 'G1 X2')]);
  return h;
}

describe('lines RepRapFirmware drops silently', () => {
  it('probes with M105 when an ok is late and resends only the dropped line when the probe is answered first', () => {
    const h = rrfJob();
    h.advance(500);
    expect(h.written()).toEqual([framed(3, 'M105')]);
    h.receive(RRF_M105); // line 2 never arrived intact: the probe's answer overtakes it
    expect(h.written()).toEqual([framed(2, 'G1 X2')]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(4, 'G1 X3')]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(5, 'M105')]); // the closing sync
    h.receive(RRF_M105);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 3 });
    expect(h.eventsOf('error').filter((e) => e.code === 'timeout')).toEqual([]);
    expect(h.state.counters.resends).toBe(1);
  });

  it('resends nothing when the late ok comes before the probe is answered', () => {
    const h = rrfJob();
    h.advance(500);
    expect(h.written()).toEqual([framed(3, 'M105')]);
    h.receive('ok', RRF_M105); // line 2 was only slow
    expect(h.written()).toEqual([framed(4, 'G1 X3')]);
    h.receive('ok');
    h.written();
    h.receive(RRF_M105);
    expect(h.eventsOf('job.finished')[0]?.result).toEqual({ status: 'completed', lines: 3 });
    expect(h.state.counters.resends).toBe(0);
  });

  it('probes past a dropped M105 and resends nothing when only the M105 was lost', () => {
    const h = new EngineHarness({ communicationTimeoutMs: 30_000, silentDropProbeMs: 500, temperaturePollMs: 600_000, syncEvery: 1 });
    connect(h, {}, RRF_M115);
    h.receive(RRF_M105);
    h.written();
    startJob(h, FILE);
    h.written();
    h.receive('ok'); // M110
    expect(h.written()).toEqual([framed(1, 'G1 X1')]);
    h.receive('ok');
    expect(h.written()).toEqual([framed(2, 'M105')]); // the sync marker, alone in ping-pong
    h.advance(500); // the marker was dropped: no answer
    expect(h.written()).toEqual([framed(3, 'M105')]);
    h.receive(RRF_M105);
    expect(h.written()).toEqual([framed(4, 'G1 X2')]);
    expect(h.state.counters.resends).toBe(0);
  });

  it('sends one probe at a time and then waits for the normal timeout', () => {
    const h = rrfJob();
    h.advance(500);
    expect(h.written()).toEqual([framed(3, 'M105')]);
    h.advance(29_000);
    expect(h.written()).toEqual([]);
  });
});
