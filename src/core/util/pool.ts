/** Runs `task` over `items` with at most `limit` at once, in order of start; starts no new one once `stopped()`. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !stopped()) await task(items[next++]);
  });
  await Promise.all(workers);
}
