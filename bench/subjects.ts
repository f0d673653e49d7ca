/** Synthetic, valid subject ids for benchmarks: USCC 91130900 + 9-digit serial + check character. */
import { usccCheckChar } from '../domain/identifiers';

export function benchUscc(i: number): string {
  const first17 = `91130900${String(i).padStart(9, '0')}`;
  return first17 + usccCheckChar(first17);
}

/** Every 10th subject is listed: 100,000 active entries among 1,000,000 subjects. */
export const isListed = (i: number) => i % 10 === 0;
