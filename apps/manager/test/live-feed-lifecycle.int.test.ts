// The live feed's life around the sockets: the app closing closes them, and a
// session that only watches idles out and its socket closes.
import { describe, expect, it } from 'vitest';
import { startFarm } from './support/farm-fixtures.js';
import { openFeed } from './support/live-feed-client.js';

describe('live feed on app close', () => {
  it('closes every socket when the app closes', async () => {
    const { h, admin } = await startFarm();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const feed = await openFeed(h, admin);
    await feed.next((m) => m.type === 'snapshot');
    await h.close();
    expect((await feed.closed).code).toBe(1001);
  });
});

describe('live feed and the idle timeout', () => {
  it('does not keep an unattended session alive: it idles out and the socket closes with 4401', async () => {
    const { h, admin } = await startFarm();
    try {
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      const feed = await openFeed(h, admin);
      await feed.next((m) => m.type === 'snapshot');
      // Re-checks while the user only watches: none of them counts as activity.
      for (const minutes of [10, 10, 9]) {
        h.clock.advance(minutes * 60_000);
        await h.app.liveFeed.recheckSessions();
      }
      h.clock.advance(2 * 60_000);
      await h.app.liveFeed.recheckSessions();
      expect((await feed.closed).code).toBe(4401);
    } finally {
      await h.close();
    }
  });
});
