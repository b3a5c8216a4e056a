/**
 * The whole verify run is bounded by `--timeout`: the collector stops waiting at the deadline,
 * and should anything still hang past it (plus a short grace for checks and the report), the run
 * ends as "nothing could be collected" (exit 3) instead of waiting on a socket forever.
 */
import { CollectError } from '../errors';

export const RUN_GRACE_MS = 5_000;

export function boundedRun<T>(run: Promise<T>, timeoutSeconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CollectError(
            `the run did not finish within --timeout ${timeoutSeconds}s (and ${RUN_GRACE_MS / 1000}s of grace)`,
            '--timeout',
          ),
        ),
      timeoutSeconds * 1000 + RUN_GRACE_MS,
    );
    timer.unref();
  });
  return Promise.race([run, expired]).finally(() => clearTimeout(timer));
}
