/**
 * Sending reports on change of state. The last reported failing results per cluster live in the
 * state store; a report goes out when they changed (or when forced), and the stored state moves
 * on only after every configured destination accepted it, with a conditional write so two
 * overlapping runs cannot both advance it. A failed send fails the notification, not the run,
 * and is retried by the next run.
 */
import type { Report } from '../report/types';
import { ConflictError, type StateStore } from '../state/types';
import { detectChange, failingOf, type Change, type StoredResults } from './change';
import { slackReport, snsReport } from './messages';
import type { Redactor } from '../redact';

export type NotifyMode = 'on-change' | 'always' | 'never';

export interface NotifyDeps {
  store: StateStore;
  slack?: (message: { text: string; blocks: unknown[] }) => Promise<void>;
  sns?: (m: ReturnType<typeof snsReport>) => Promise<unknown>;
  link?: string;
  now?: () => Date;
  /** Applied to every message body and error before it leaves (lib/redact.ts). */
  redactor?: Redactor;
}

export interface NotifyOutcome {
  sent: boolean;
  reason: string;
  change: { new: number; resolved: number; changed: number };
  destinations: Record<string, 'sent' | 'failed' | 'skipped'>;
  errors: string[];
}

const STATE_TTL = 90 * 24 * 3600;

export async function notify(report: Report, mode: NotifyMode, deps: NotifyDeps): Promise<NotifyOutcome> {
  const key = `results#${report.cluster}`;
  const prev = await deps.store.get<StoredResults>(key);
  const change: Change = detectChange(prev?.value, report);
  const counts = { new: change.newFailures.length, resolved: change.resolved.length, changed: change.changed.length };
  const destinations: NotifyOutcome['destinations'] = {};
  const base = { change: counts, destinations, errors: [] as string[] };
  if (mode === 'never') return { ...base, sent: false, reason: 'notifications disabled for this run' };
  if (!deps.slack && !deps.sns) return { ...base, sent: false, reason: 'no destination configured' };
  const firstRun = !prev;
  if (mode === 'on-change' && !change.any && !(firstRun && report.outcome === 'fail')) {
    return {
      ...base,
      sent: false,
      reason: firstRun ? 'first run, nothing failing' : 'no change since the last report',
    };
  }
  const errors: string[] = [];
  const safe = <T>(m: T): T => (deps.redactor ? deps.redactor.value(m) : m);
  await Promise.all([
    (async () => {
      if (!deps.slack) return;
      try {
        await deps.slack(safe(slackReport(report, change, { link: deps.link })));
        destinations.slack = 'sent';
      } catch (err) {
        destinations.slack = 'failed';
        errors.push(`slack: ${(err as Error).message}`);
      }
    })(),
    (async () => {
      if (!deps.sns) return;
      try {
        await deps.sns(safe(snsReport(report, change, { link: deps.link })));
        destinations.sns = 'sent';
      } catch (err) {
        destinations.sns = 'failed';
        errors.push(`sns: ${(err as Error).name}: ${(err as Error).message}`);
      }
    })(),
  ]);
  if (errors.length > 0)
    return {
      ...base,
      errors: errors.map((e) => (deps.redactor ? deps.redactor.text(e) : e)),
      sent: false,
      reason: 'a destination failed; the state was not advanced, the next run retries',
    };
  try {
    await deps.store.put<StoredResults>(
      key,
      { cluster: report.cluster, at: (deps.now?.() ?? new Date()).toISOString(), failing: failingOf(report) },
      { expectedVersion: prev?.version ?? 0, ttlSeconds: STATE_TTL },
    );
  } catch (err) {
    if (err instanceof ConflictError)
      return { ...base, sent: true, reason: 'sent; another run updated the state meanwhile' };
    throw err;
  }
  return {
    ...base,
    sent: true,
    reason: mode === 'always' && !change.any ? 'sent (forced)' : 'sent: the state changed',
  };
}
