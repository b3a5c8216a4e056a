/**
 * `--wait DURATION` (and the Lambda's `{"wait": SECONDS}`): run the verify job again, with
 * exponential backoff, until nothing fails at --fail-on or the deadline passes. The outcome is
 * the last attempt's. Clock and sleep are injectable so the loop is tested without waiting.
 */
import type { Result } from './checks/types';

export interface Attempt<T> {
  outcome: T;
  /** 1-based. */
  attempt: number;
  /** Results still failing at --fail-on (empty when the attempt passed). */
  failing: Result[];
  /** Milliseconds until the next attempt, or undefined when this one is the last. */
  nextInMs?: number;
}

export interface WaitOptions<T> {
  /** Milliseconds since the epoch after which no attempt starts. */
  deadline: number;
  /** What still fails in an outcome (empty: done). */
  failing: (outcome: T) => Result[];
  firstDelayMs?: number;
  maxDelayMs?: number;
  onAttempt?: (a: Attempt<T>) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function untilPassing<T>(
  run: (attempt: number) => Promise<T>,
  opts: WaitOptions<T>,
): Promise<{ outcome: T; attempts: number }> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  let delay = opts.firstDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await run(attempt);
    const failing = opts.failing(outcome);
    const left = opts.deadline - now();
    // Sleep no longer than the time left; no attempt starts after the deadline.
    const nextInMs = failing.length > 0 && left > 0 ? Math.min(delay, left) : undefined;
    opts.onAttempt?.({ outcome, attempt, failing, nextInMs });
    if (nextInMs === undefined) return { outcome, attempts: attempt };
    await sleep(nextInMs);
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 30_000);
  }
}

/** The progress line for stderr: attempt, what still fails, when the next attempt is. */
export function describeAttempt(a: Attempt<unknown>): string {
  if (a.failing.length === 0) return `wait: attempt ${a.attempt}: nothing failing`;
  const names = a.failing.slice(0, 5).map((r) => `${r.code} ${r.resource}`);
  const more = a.failing.length > 5 ? ` and ${a.failing.length - 5} more` : '';
  const next =
    a.nextInMs === undefined
      ? 'deadline reached, giving up'
      : `next attempt in ${Math.max(1, Math.round(a.nextInMs / 1000))}s`;
  return `wait: attempt ${a.attempt}: ${a.failing.length} still failing (${names.join(', ')}${more}); ${next}`;
}
