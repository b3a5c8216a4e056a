import type { AmAlert } from '../../../lib/alertmanager/schema';

/** A webhook payload exactly as Alertmanager 0.25 sends it (version 4). */
export function amPayload(
  over: Record<string, unknown> = {},
  alerts: Array<Partial<AmAlert>> = [{}],
): Record<string, unknown> {
  const full = alerts.map((a, i) => ({
    status: 'firing',
    labels: {
      alertname: 'KubePodCrashLooping',
      severity: 'warning',
      namespace: 'monitoring',
      cluster: 'myeks',
      pod: `p-${i}`,
    },
    annotations: {
      summary: 'Pod is crash looping.',
      description: `Pod monitoring/p-${i} is in waiting state (reason: "CrashLoopBackOff").`,
    },
    startsAt: '2026-11-24T09:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example.com/graph?g0.expr=up',
    fingerprint: `f${i.toString(16).padStart(15, '0')}`,
    ...a,
  }));
  return {
    receiver: 'stackcheck',
    status: 'firing',
    alerts: full,
    groupLabels: { alertname: 'KubePodCrashLooping' },
    commonLabels: { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: 'monitoring', cluster: 'myeks' },
    commonAnnotations: { summary: 'Pod is crash looping.' },
    externalURL: 'http://alertmanager.example.com',
    version: '4',
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    ...over,
  };
}
