/** The dead man's switch: the always-firing Watchdog alert keeps arriving at the webhook. */
import type { Check } from './types';
import { fail, pass } from './util';

const resource = (cluster: string) => `Heartbeat/${cluster}/Watchdog`;

export const heartbeatChecks: Check[] = [
  {
    code: 'HRT001',
    family: 'heartbeat',
    title: 'Watchdog heartbeat is arriving',
    severity: 'critical',
    description:
      "The always-firing `Watchdog` alert (from the chart's default rules) reached the stackcheck webhook within the allowed age (default 10 minutes): the whole path Prometheus → rules → Alertmanager → receiver works. Skipped when the values disable Alertmanager or the default rules.",
    remediation:
      'Check that Prometheus evaluates rules (kubectl -n <namespace> get prometheusrules), that Alertmanager routes Watchdog to the stackcheck receiver with the right bearer token, and the webhook logs.',
    requires: ['heartbeat'],
    notApplicable(ctx) {
      if (!ctx.expected.alertmanager.enabled)
        return 'alertmanager.enabled is false in the values: no Watchdog notifications are sent';
      if (!ctx.expected.defaultRules) return 'defaultRules.create is false in the values: there is no Watchdog rule';
      return undefined;
    },
    whenNotCollected: 'no heartbeat store was read (pass --state FILE|dynamodb:TABLE, the store the webhook writes)',
    resource: (ctx) => resource(ctx.snapshot.cluster),
    run(ctx) {
      const r = resource(ctx.snapshot.cluster);
      const last = ctx.snapshot.heartbeat?.lastSeenAt ?? null;
      const max = ctx.expected.heartbeat.maxAgeSeconds;
      if (!last)
        return [
          fail(r, 'no Watchdog notification has ever arrived', { expected: `at most ${max}s old`, actual: null }),
        ];
      const age = Math.round((ctx.now.getTime() - Date.parse(last)) / 1000);
      return [
        age <= max
          ? pass(r, `last Watchdog ${age}s ago`, { expected: `at most ${max}s old`, actual: last })
          : fail(r, `last Watchdog arrived ${age}s ago (${last}): the alerting path may be down`, {
              expected: `at most ${max}s old`,
              actual: last,
            }),
      ];
    },
  },
];
