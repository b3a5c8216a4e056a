/** `stackcheck verify --notify slack,sns --state …`: notification from the CLI. */
import { describeError } from '../errors';
import type { Redactor } from '../redact';
import type { Report, ReportNotification } from '../report/types';
import { openStateStore } from '../state';
import { reportDestinationsFromEnv } from './destinations';
import { notify } from './index';

export interface CliNotification {
  /** Lines for stderr (already redacted). */
  lines: string[];
  ok: boolean;
  /** What goes into the report's `notification` field. */
  notification: ReportNotification;
}

/**
 * Sends the report where `--notify` says. A destination asked for but not configured, one that
 * failed, or a state store that cannot be read is an error of the notification (the CLI puts it in
 * the report and exits 1).
 */
export async function notifyFromCli(
  report: Report,
  opts: {
    targets?: string;
    always: boolean;
    state?: string;
    env: Record<string, string | undefined>;
    redactor?: Redactor;
  },
): Promise<CliNotification> {
  const targets = (opts.targets ?? 'slack,sns').split(',').map((s) => s.trim()) as Array<'slack' | 'sns'>;
  let notification: ReportNotification;
  const errors: string[] = [];
  try {
    const { slack, sns, missing } = await reportDestinationsFromEnv(opts.env, targets);
    errors.push(...missing);
    const out = await notify(report, opts.always ? 'always' : 'on-change', {
      store: openStateStore(opts.state),
      slack,
      sns,
      redactor: opts.redactor,
    });
    notification = {
      sent: out.sent,
      reason: out.reason,
      destinations: out.destinations,
      errors: [...errors, ...out.errors],
    };
  } catch (err) {
    // The state store (or a secret parameter) could not be read: nothing was sent.
    notification = {
      sent: false,
      reason: 'notification failed before sending',
      errors: [...errors, describeError(err)],
    };
  }
  if (opts.redactor) {
    const r = opts.redactor;
    notification = {
      ...notification,
      reason: r.text(notification.reason),
      errors: notification.errors.map((e) => r.text(e)),
    };
  }
  const ok = notification.errors.length === 0;
  return {
    lines: [`notify: ${notification.reason}${ok ? '' : ` (${notification.errors.join('; ')})`}`],
    ok,
    notification,
  };
}
