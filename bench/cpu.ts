/** CPU time of the benchmark's processes, read from /proc (Linux), to say where a figure's time goes. */
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far; 0 when it is gone or unknown. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU milliseconds per item each named process spent between `start()` and `per(n)`. */
export function cpuMeter(pids: Record<string, number | undefined>) {
  const names = Object.keys(pids);
  const at0 = names.map((n) => cpuSeconds(pids[n]));
  return {
    per(items: number): Record<string, number> {
      return Object.fromEntries(names.map((n, i) => [n, ((cpuSeconds(pids[n]) - at0[i]) * 1000) / items]));
    },
  };
}

/** "worker 9.1, temporal 7.2, mongod 3.0 ms" */
export const formatCpu = (ms: Record<string, number>) =>
  Object.entries(ms)
    .map(([n, v]) => `${n} ${v.toFixed(1)}`)
    .join(', ') + ' ms';
