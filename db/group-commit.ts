/**
 * Group commit: callers that want the same kind of write at about the same time share one. A caller's
 * entries join those waiting; when no write is in flight they are written at once, else with the next
 * write, which starts as soon as the one in flight ends. Each caller's promise settles with the write
 * that carried its entries (a failed write rejects every caller it carried, so each retries). An idle
 * process writes at once, with no timer; a busy one writes less often, with more in each write.
 */
export function groupCommit<K, V>(write: (entries: Map<K, V>) => Promise<void>): (entries: Map<K, V>) => Promise<void> {
  let waiting = new Map<K, V>();
  let callers: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  let inFlight = false;
  const drain = async () => {
    inFlight = true;
    while (callers.length) {
      const [entries, carried] = [waiting, callers];
      [waiting, callers] = [new Map(), []];
      try {
        await write(entries);
        for (const c of carried) c.resolve();
      } catch (e) {
        for (const c of carried) c.reject(e);
      }
    }
    inFlight = false;
  };
  return (entries) => {
    if (entries.size === 0) return Promise.resolve();
    for (const [k, v] of entries) waiting.set(k, v);
    const settled = new Promise<void>((resolve, reject) => callers.push({ resolve, reject }));
    if (!inFlight) void drain();
    return settled;
  };
}
