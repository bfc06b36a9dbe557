import { EngineSession } from '../../engine/runtime/session.js';

/** Shared by the benchmarks: the standard procedure's happy path, a worker pool, percentiles, engine timing. */

export interface HappyStep {
  elementId: string;
  actionCode: string;
  /** The candidate group that takes the step (a demo account `<role> @ <agency>` over HTTP). */
  role: string;
  /** The step names the next step's holder: the group whose member it assigns (`assignee`). */
  assigns?: string;
}

/** From reception to the returned result: the eight actions of standard-one-stop.bpmn without side paths. */
export const HAPPY_PATH: HappyStep[] = [
  { elementId: 'receive', actionCode: '1100', role: 'one-stop-officer' },
  { elementId: 'transfer', actionCode: '2000', role: 'one-stop-officer' },
  { elementId: 'assign', actionCode: '2101', role: 'dept-leader', assigns: 'handler' },
  { elementId: 'handle', actionCode: '2600', role: 'handler' },
  { elementId: 'leaderReview', actionCode: '3100', role: 'dept-leader' },
  { elementId: 'sign', actionCode: '3200', role: 'agency-leader' },
  { elementId: 'issue', actionCode: '3300', role: 'clerk' },
  { elementId: 'returnResult', actionCode: '4000', role: 'one-stop-officer' },
];

/** Runs `fn` `total` times over `workers` concurrent loops (a closed loop: each worker waits for its answer). */
export async function pool(total: number, workers: number, fn: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

/** The nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export type EngineTimes = Record<'start' | 'resume' | 'signal' | 'state', { calls: number; ms: number }>;

/**
 * Times the work done inside bpmn-engine (start, restore, signal, serialise) by wrapping EngineSession's methods,
 * to tell the engine's share of a command from the database's. Returns the running totals and a reset.
 */
export function timeEngineSessions(): { times: EngineTimes; reset(): void } {
  const times = {} as EngineTimes;
  const reset = () => {
    for (const method of ['start', 'resume', 'signal', 'state'] as const) times[method] = { calls: 0, ms: 0 };
  };
  reset();
  for (const method of ['start', 'resume', 'signal', 'state'] as const) {
    const original = EngineSession.prototype[method] as (...args: unknown[]) => unknown;
    (EngineSession.prototype as any)[method] = function timed(this: EngineSession, ...args: unknown[]) {
      const t0 = performance.now();
      const done = () => {
        times[method].calls++;
        times[method].ms += performance.now() - t0;
      };
      const result = original.apply(this, args);
      if (result instanceof Promise) return result.finally(done);
      done();
      return result;
    };
  }
  return { times, reset };
}
