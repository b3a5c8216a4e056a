import { describeError } from '../errors';
import type { ExpectedState } from '../expected/types';
import type { CollectionError, DataKey, Snapshot } from '../snapshot/types';
import { fillRemediation } from './remediation';
import type { Check, CheckContext, Family, Result } from './types';

export interface RunOptions {
  /** Only these families (`--checks`). */
  checks?: Family[];
  /** Not these families (`--skip`). */
  skip?: Family[];
  /** Evaluation time; defaults to the snapshot's `collectedAt`. */
  now?: Date;
}

function selected(check: Check, opts: RunOptions): boolean {
  if (opts.checks && opts.checks.length > 0 && !opts.checks.includes(check.family)) return false;
  if (opts.skip && opts.skip.includes(check.family)) return false;
  return true;
}

function errorResultFor(check: Check, ctx: CheckContext, errs: CollectionError[]): Result {
  const first = errs[0];
  const calls = [...new Set(errs.map((e) => e.call))].join(', ');
  const permission = [...new Set(errs.map((e) => e.permission).filter(Boolean))].join(', ');
  return {
    code: check.code,
    check: check.family,
    title: check.title,
    status: 'error',
    severity: check.severity,
    resource: safeResource(check, ctx),
    message: `could not collect what this check needs: ${first.source} ${calls} failed: ${first.message}${first.code ? ` (${first.code})` : ''}`,
    remediation: permission
      ? `Grant ${permission} to the identity stackcheck runs as, or fix the cause above, then run again.`
      : 'Fix the cause above (network, credentials, permissions), then run again.',
  };
}

/** Why a part is not in the snapshot: the session's reason, or that it was not asked for. */
function notCollectedReason(check: Check, snapshot: Snapshot, key: DataKey): string {
  return (
    snapshot.unavailable?.[key] ??
    check.whenNotCollected ??
    `${key} was not collected in this ${snapshot.source === 'eks' || snapshot.source === 'kubeconfig' ? 'run' : 'snapshot'}`
  );
}

function skipResultFor(check: Check, ctx: CheckContext, message: string): Result {
  return {
    code: check.code,
    check: check.family,
    title: check.title,
    status: 'skip',
    severity: check.severity,
    resource: safeResource(check, ctx),
    message,
    remediation: fillRemediation(check.remediation, safeResource(check, ctx), ctx.expected),
  };
}

function safeResource(check: Check, ctx: CheckContext): string {
  try {
    return check.resource(ctx);
  } catch {
    return `${check.family}`;
  }
}

/**
 * Runs the selected checks. Never throws, and never judges what was not read: a check whose
 * inputs failed to collect reports `error` naming the failed call; a check whose inputs were not
 * collected (not planned, not in a recorded snapshot, no URL or store) reports `skip` saying why;
 * a check that throws reports `error` with the exception; the rest run.
 */
export function runChecks(
  checks: readonly Check[],
  expected: ExpectedState,
  snapshot: Snapshot,
  opts: RunOptions = {},
): Result[] {
  const ctx: CheckContext = { expected, snapshot, now: opts.now ?? new Date(snapshot.collectedAt) };
  const results: Result[] = [];
  for (const check of checks) {
    if (!selected(check, opts)) continue;
    const na = check.notApplicable?.(ctx);
    if (na) {
      results.push(skipResultFor(check, ctx, na));
      continue;
    }
    const errs = snapshot.errors.filter((e) => e.affects.some((k) => check.requires.includes(k)));
    if (errs.length > 0) {
      results.push(errorResultFor(check, ctx, errs));
      continue;
    }
    const missing = check.requires.filter((k) => !snapshot.collected.includes(k));
    if (missing.length > 0) {
      const reasons = [...new Set(missing.map((k) => notCollectedReason(check, ctx.snapshot, k)))];
      results.push(skipResultFor(check, ctx, `not checked: ${reasons.join('; ')}`));
      continue;
    }
    try {
      for (const f of check.run(ctx)) {
        results.push({
          code: check.code,
          check: check.family,
          title: f.title ?? check.title,
          status: f.status,
          severity: f.severity ?? check.severity,
          resource: f.resource,
          message: f.message,
          ...(f.expected !== undefined ? { expected: f.expected } : {}),
          ...(f.actual !== undefined ? { actual: f.actual } : {}),
          remediation: fillRemediation(f.remediation ?? check.remediation, f.resource, expected),
          ...(f.query !== undefined ? { query: f.query } : {}),
        });
      }
    } catch (err) {
      results.push({
        code: check.code,
        check: check.family,
        title: check.title,
        status: 'error',
        severity: check.severity,
        resource: safeResource(check, ctx),
        message: `check failed to evaluate: ${describeError(err)}`,
        remediation:
          'This is a bug in stackcheck or an unexpected object shape; please report it with the snapshot (--record).',
      });
    }
  }
  return results;
}
