/** Walks a paged list of the API (domain/pagination.ts) to its end: every item, in the list's order. */
import type { ApiStack } from './api-stack';

export async function allPages<T = unknown>(stack: ApiStack, path: string, token?: string, limit = 200): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  for (let pages = 0; pages < 10_000; pages++) {
    const r = await stack.call('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    items.push(...(r.body.items as T[]));
    cursor = r.body.next;
    if (!cursor) return items;
  }
  throw new Error(`GET ${path}: more than 10,000 pages`);
}
