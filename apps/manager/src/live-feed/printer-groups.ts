// Which group each printer belongs to, for filtering events without a
// database query per event. Cached briefly (refreshed in the background);
// reloaded before use when an unknown printer appears (at most once per
// UNKNOWN_RELOAD_MS) or when printers changed.
export type PrinterGroupsSource = () => Promise<ReadonlyArray<{ readonly id: string; readonly groupId: string }>>;

export const GROUPS_MAX_AGE_MS = 5_000;
/** An unknown id triggers at most one reload per this interval, so junk ids cannot hammer the database. */
export const UNKNOWN_RELOAD_MS = 1_000;

export type PrinterGroups = ReturnType<typeof createPrinterGroups>;

export function createPrinterGroups(load: PrinterGroupsSource, nowMs: () => number = () => performance.now()) {
  let groups = new Map<string, string>();
  let loadedAt = -Infinity;
  let dirty = true;
  let inflight: Promise<void> | null = null;

  function reload(): Promise<void> {
    inflight ??= (async () => {
      dirty = false;
      try {
        const rows = await load();
        groups = new Map(rows.map((r) => [r.id, r.groupId]));
        loadedAt = nowMs();
      } catch (error) {
        dirty = true;
        throw error;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  const stale = () => nowMs() - loadedAt > GROUPS_MAX_AGE_MS;

  return {
    groupOf: (printerId: string): string | undefined => groups.get(printerId),
    printerIds: (): string[] => [...groups.keys()],
    /** Printers were created, moved or retired: reload before the next use. */
    invalidate(): void {
      dirty = true;
    },
    async fresh(): Promise<void> {
      if (dirty || stale()) await reload();
    },
    /** True when the id is known, reloading first if it is not (or the cache was invalidated). */
    async knows(printerId: string): Promise<boolean> {
      if (dirty) await reload();
      if (groups.has(printerId)) {
        // Known: answer now, refresh behind (group moves also invalidate explicitly).
        if (stale()) reload().catch(() => undefined);
        return true;
      }
      if (nowMs() - loadedAt > UNKNOWN_RELOAD_MS) await reload();
      return groups.has(printerId);
    },
  };
}
