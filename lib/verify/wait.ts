/**
 * `--wait` / payload `wait` around the shared job: the job again, with backoff (lib/wait.ts),
 * until nothing fails at failOn or `wait.until`; the outcome is the last attempt's.
 */
import { blockingResults } from '../report/build';
import { untilPassing, type Attempt } from '../wait';
import { verify, type VerifyDeps, type VerifyOutcome } from './job';
import type { VerifyRequest } from './request';

export async function verifyWaiting(
  req: VerifyRequest,
  deps: VerifyDeps,
  onAttempt?: (a: Attempt<VerifyOutcome>) => void,
): Promise<VerifyOutcome> {
  const wait = req.wait;
  if (!wait) return verify(req, deps);
  const attempt = (n: number) => {
    // The first attempt keeps the request's deadline; later ones get their own, within the hard one.
    if (n === 1) return verify(req, deps);
    const deadline = Math.min(wait.hardDeadline ?? Number.POSITIVE_INFINITY, Date.now() + wait.attemptMs);
    return verify({ ...req, deadline }, deps);
  };
  const { outcome } = await untilPassing(attempt, {
    deadline: wait.until,
    failing: (o) => blockingResults(o.report.results, req.failOn),
    onAttempt,
  });
  return outcome;
}
