/** Workloads: namespace, Prometheus StatefulSet, node-exporter on every node, Deployments, args. */
import type { K8sObject } from '../snapshot/types';
import type { Check, CheckContext, Finding } from './types';
import { argValue, clusterRef, condition, containers, fail, find, judge, pass, ref, skip } from './util';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Whether a toleration tolerates a taint, as the scheduler decides it. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** Nodes a DaemonSet should run on: schedulable, every NoSchedule/NoExecute taint tolerated. */
export function eligibleNodes(ds: K8sObject, nodes: readonly K8sObject[]): K8sObject[] {
  const tolerations: Toleration[] = ds.spec?.template?.spec?.tolerations ?? [];
  const selector = Object.entries((ds.spec?.template?.spec?.nodeSelector ?? {}) as Record<string, string>);
  // Once per node (5 000 at the large end): no arrays made per node.
  return nodes.filter((n) => {
    if (n.spec?.unschedulable) return false;
    const labels = n.metadata.labels ?? {};
    for (const [k, v] of selector) if (labels[k] !== v) return false;
    const taints: Taint[] = n.spec?.taints ?? [];
    for (const taint of taints)
      if (
        (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
        !tolerations.some((tol) => tolerates(tol, taint))
      )
        return false;
    return true;
  });
}

const nsRef = (ctx: CheckContext) => clusterRef('Namespace', ctx.expected.namespace);
const stsRef = (ctx: CheckContext) =>
  ref('StatefulSet', ctx.expected.namespace, ctx.expected.prometheus.statefulSetName);
const dsRef = (ctx: CheckContext) => ref('DaemonSet', ctx.expected.namespace, ctx.expected.nodeExporter.daemonSetName);

/** The operator-made Prometheus StatefulSet, or the skip saying why there is none to read. */
function prometheusStatefulSet(ctx: CheckContext): { sts: K8sObject } | { skipped: Finding } {
  if (!ctx.expected.prometheus.enabled) return { skipped: skip(stsRef(ctx), 'prometheus.enabled is false') };
  const sts = find(
    ctx.snapshot.kubernetes.statefulSets,
    ctx.expected.prometheus.statefulSetName,
    ctx.expected.namespace,
  );
  return sts ? { sts } : { skipped: skip(stsRef(ctx), 'no Prometheus StatefulSet to read (see WRK002)') };
}

function promContainer(sts: K8sObject | undefined) {
  return containers(sts).find((c) => c.name === 'prometheus');
}

function deploymentsOf(ctx: CheckContext): Array<{ name: string; enabled: boolean; what: string }> {
  const e = ctx.expected;
  return [
    { name: e.grafana.deploymentName, enabled: e.grafana.enabled, what: 'Grafana' },
    { name: e.kubeStateMetrics.deploymentName, enabled: e.kubeStateMetrics.enabled, what: 'kube-state-metrics' },
    { name: e.operator.deploymentName, enabled: e.operator.enabled, what: 'the Prometheus operator' },
  ];
}

export const workloadChecks: Check[] = [
  {
    code: 'WRK001',
    family: 'workloads',
    title: 'Namespace exists',
    severity: 'critical',
    description: 'The namespace the stack is installed in exists and is Active.',
    remediation: 'kubectl create namespace <name> (then install the stack into it).',
    requires: ['k8s.namespaces'],
    resource: nsRef,
    run(ctx) {
      const n = find(ctx.snapshot.kubernetes.namespaces, ctx.expected.namespace);
      if (!n)
        return [
          fail(nsRef(ctx), `namespace ${ctx.expected.namespace} does not exist`, { expected: 'Active', actual: null }),
        ];
      const phase = n.status?.phase ?? 'Active';
      return [
        judge(phase === 'Active', nsRef(ctx), 'namespace is Active', `namespace is ${phase}`, {
          expected: 'Active',
          actual: phase,
        }),
      ];
    },
  },
  {
    code: 'WRK002',
    family: 'workloads',
    title: 'Prometheus StatefulSet has its replicas ready',
    severity: 'critical',
    description:
      'The StatefulSet the operator makes from the Prometheus resource (`prometheus-<name>`) has `readyReplicas == replicas ==` the expected replica count.',
    remediation:
      'kubectl -n <namespace> describe sts <name>; kubectl -n <namespace> get pods -l app.kubernetes.io/name=prometheus; check PVC binding and events.',
    requires: ['k8s.statefulSets'],
    resource: stsRef,
    run(ctx) {
      if (!ctx.expected.prometheus.enabled) return [skip(stsRef(ctx), 'prometheus.enabled is false')];
      const sts = find(
        ctx.snapshot.kubernetes.statefulSets,
        ctx.expected.prometheus.statefulSetName,
        ctx.expected.namespace,
      );
      const want = ctx.expected.prometheus.replicas;
      if (!sts)
        return [
          fail(stsRef(ctx), 'the Prometheus StatefulSet does not exist (is the operator running?)', {
            expected: { replicas: want, readyReplicas: want },
            actual: null,
          }),
        ];
      const replicas = Number(sts.spec?.replicas ?? 1);
      const ready = Number(sts.status?.readyReplicas ?? 0);
      const ok = replicas === want && ready === want;
      return [
        judge(
          ok,
          stsRef(ctx),
          `${ready}/${replicas} replicas ready`,
          `${ready}/${replicas} replicas ready, expected ${want}/${want}`,
          {
            expected: { replicas: want, readyReplicas: want },
            actual: { replicas, readyReplicas: ready },
          },
        ),
      ];
    },
  },
  {
    code: 'WRK003',
    family: 'workloads',
    title: 'node-exporter runs on every node',
    severity: 'critical',
    description:
      'The node-exporter DaemonSet has `numberReady == desiredNumberScheduled ==` the number of nodes it should run on: schedulable nodes whose NoSchedule/NoExecute taints its tolerations accept (the chart tolerates every taint by default).',
    remediation:
      'kubectl -n <namespace> describe ds <name>; kubectl get nodes -o wide; check taints/tolerations and pod events on the nodes without an exporter.',
    requires: ['k8s.daemonSets', 'k8s.nodes', 'k8s.pods'],
    resource: dsRef,
    run(ctx) {
      if (!ctx.expected.nodeExporter.enabled) return [skip(dsRef(ctx), 'nodeExporter.enabled is false')];
      const ds = find(
        ctx.snapshot.kubernetes.daemonSets,
        ctx.expected.nodeExporter.daemonSetName,
        ctx.expected.namespace,
      );
      if (!ds) return [fail(dsRef(ctx), 'the node-exporter DaemonSet does not exist', { actual: null })];
      const eligible = eligibleNodes(ds, ctx.snapshot.kubernetes.nodes);
      const desired = Number(ds.status?.desiredNumberScheduled ?? 0);
      const ready = Number(ds.status?.numberReady ?? 0);
      const running = new Set(
        ctx.snapshot.kubernetes.pods
          .filter((p) =>
            (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.name === ds.metadata.name),
          )
          .filter((p) => p.status?.phase === 'Running')
          .map((p) => p.spec?.nodeName as string),
      );
      const missing = eligible.map((n) => n.metadata.name).filter((n) => !running.has(n));
      const ok =
        ready === desired &&
        desired === eligible.length &&
        (ctx.snapshot.kubernetes.pods.length === 0 || missing.length === 0);
      const expected = {
        nodes: eligible.length,
        desiredNumberScheduled: eligible.length,
        numberReady: eligible.length,
      };
      const actual = {
        desiredNumberScheduled: desired,
        numberReady: ready,
        ...(missing.length ? { nodesWithoutExporter: missing } : {}),
      };
      return [
        judge(
          ok,
          dsRef(ctx),
          `${ready}/${desired} ready on ${eligible.length} eligible nodes`,
          `${ready} ready of ${desired} scheduled, but ${eligible.length} nodes should run node-exporter${missing.length ? ` (none running on ${missing.join(', ')})` : ''}`,
          { expected, actual },
        ),
      ];
    },
  },
  {
    code: 'WRK004',
    family: 'workloads',
    title: 'Deployments are available',
    severity: 'critical',
    description:
      'Grafana, kube-state-metrics and the operator Deployments have the `Available` condition True and all replicas available.',
    remediation:
      'kubectl -n <namespace> describe deploy <name>; kubectl -n <namespace> get pods; read the pod events and logs.',
    requires: ['k8s.deployments'],
    resource: (ctx) => ref('Deployment', ctx.expected.namespace, ctx.expected.grafana.deploymentName),
    run(ctx) {
      return deploymentsOf(ctx).map(({ name, enabled, what }): Finding => {
        const r = ref('Deployment', ctx.expected.namespace, name);
        if (!enabled) return skip(r, `${what} is disabled in the values`);
        const d = find(ctx.snapshot.kubernetes.deployments, name, ctx.expected.namespace);
        if (!d) return fail(r, `the ${what} Deployment does not exist`, { actual: null });
        const replicas = Number(d.spec?.replicas ?? 1);
        const available = Number(d.status?.availableReplicas ?? 0);
        const cond = condition(d, 'Available');
        const ok = cond?.status === 'True' && available >= replicas;
        return judge(
          ok,
          r,
          `${available}/${replicas} available`,
          `${available}/${replicas} available${cond?.reason ? ` (${cond.reason})` : ''}`,
          {
            expected: { availableReplicas: replicas, Available: 'True' },
            actual: { availableReplicas: available, Available: cond?.status ?? null },
          },
        );
      });
    },
  },
  {
    code: 'WRK005',
    family: 'workloads',
    title: 'Prometheus runs with the expected retention and external URL',
    severity: 'critical',
    description:
      'The `prometheus` container of the StatefulSet has `--storage.tsdb.retention.time`, `--storage.tsdb.retention.size` and `--web.external-url` as the values imply (chart 45.27.2 renders `http://<first ingress host>/` as the external URL when no externalUrl is set).',
    remediation:
      'Set prometheus.prometheusSpec.retention / retentionSize / externalUrl in the values file and helm upgrade; the operator re-renders the StatefulSet.',
    requires: ['k8s.statefulSets'],
    resource: stsRef,
    run(ctx) {
      const found = prometheusStatefulSet(ctx);
      if ('skipped' in found) return [found.skipped];
      const { sts } = found;
      const args = promContainer(sts)?.args ?? [];
      const e = ctx.expected.prometheus;
      const flags: Array<[string, string | undefined, 'critical' | 'warning']> = [
        ['--storage.tsdb.retention.time', e.retention, 'critical'],
        ['--storage.tsdb.retention.size', e.retentionSize, 'critical'],
        ['--web.external-url', e.externalUrl, 'warning'],
      ];
      return flags.map(([flag, want, severity]) => {
        const got = argValue(args, flag);
        const ok = want === undefined ? got === undefined || got === '0' || got === '' : got === want;
        return judge(
          ok,
          stsRef(ctx),
          `${flag}=${got}`,
          `${flag} is ${got === undefined ? 'not set' : `"${got}"`}, expected "${want ?? '(unset)'}"`,
          {
            expected: want ?? null,
            actual: got ?? null,
            severity,
            title: `Prometheus ${flag} as expected`,
          },
        );
      });
    },
  },
  {
    code: 'WRK006',
    family: 'workloads',
    title: 'Prometheus resource has the expected intervals and retention',
    severity: 'warning',
    description:
      'The Prometheus custom resource has `scrapeInterval`, `evaluationInterval`, `retention` and `retentionSize` as the values and --set flags imply.',
    remediation:
      'Set prometheus.prometheusSpec.scrapeInterval / evaluationInterval (e.g. --set prometheus.prometheusSpec.scrapeInterval=15s) and helm upgrade.',
    requires: ['k8s.prometheuses'],
    resource: (ctx) => ref('Prometheus', ctx.expected.namespace, ctx.expected.prometheus.crName),
    run(ctx) {
      const r = ref('Prometheus', ctx.expected.namespace, ctx.expected.prometheus.crName);
      if (!ctx.expected.prometheus.enabled) return [skip(r, 'prometheus.enabled is false')];
      const cr = find(ctx.snapshot.kubernetes.prometheuses, ctx.expected.prometheus.crName, ctx.expected.namespace);
      if (!cr) return [fail(r, 'the Prometheus resource does not exist', { actual: null, severity: 'critical' })];
      const e = ctx.expected.prometheus;
      const want: Record<string, string | undefined> = {
        scrapeInterval: e.scrapeInterval,
        evaluationInterval: e.evaluationInterval,
        retention: e.retention,
        retentionSize: e.retentionSize,
      };
      const diffs = Object.entries(want).filter(([k, v]) => v !== undefined && String(cr.spec?.[k] ?? '') !== v);
      const actual = Object.fromEntries(Object.keys(want).map((k) => [k, cr.spec?.[k] ?? null]));
      const expected = Object.fromEntries(Object.entries(want).filter(([, v]) => v !== undefined));
      return [
        diffs.length === 0
          ? pass(
              r,
              Object.entries(expected)
                .map(([k, v]) => `${k}=${v}`)
                .join(', '),
              { expected, actual },
            )
          : fail(
              r,
              diffs
                .map(([k, v]) => `${k} is ${JSON.stringify(cr.spec?.[k] ?? null)}, expected ${JSON.stringify(v)}`)
                .join('; '),
              { expected, actual },
            ),
      ];
    },
  },
  {
    code: 'WRK007',
    family: 'workloads',
    title: 'node-exporter listens on its port',
    severity: 'warning',
    description:
      'The node-exporter container exposes the expected port (9100) and listens on it (`--web.listen-address`).',
    remediation:
      'Check prometheus-node-exporter.service.port / containerPort in the values; kubectl -n <namespace> get ds <name> -o yaml.',
    requires: ['k8s.daemonSets'],
    resource: dsRef,
    run(ctx) {
      if (!ctx.expected.nodeExporter.enabled) return [skip(dsRef(ctx), 'nodeExporter.enabled is false')];
      const ds = find(
        ctx.snapshot.kubernetes.daemonSets,
        ctx.expected.nodeExporter.daemonSetName,
        ctx.expected.namespace,
      );
      if (!ds) return [skip(dsRef(ctx), 'no node-exporter DaemonSet (see WRK003)')];
      const c = containers(ds).find((x) => x.name === 'node-exporter') ?? containers(ds)[0];
      const want = ctx.expected.nodeExporter.port;
      const ports = (c?.ports ?? []).map((p) => p.containerPort);
      const listen = argValue(c?.args, '--web.listen-address');
      const listenPort = listen ? Number(listen.slice(listen.lastIndexOf(':') + 1)) : undefined;
      const ok = ports.includes(want) && (listenPort === undefined || listenPort === want);
      return [
        judge(
          ok,
          dsRef(ctx),
          `listens on ${want}`,
          `container ports ${JSON.stringify(ports)}, listen address ${listen ?? '(default)'}; expected ${want}`,
          {
            expected: want,
            actual: { containerPorts: ports, listenAddress: listen ?? null },
          },
        ),
      ];
    },
  },
  {
    code: 'WRK008',
    family: 'workloads',
    title: 'Prometheus external URL uses the scheme users reach it with',
    severity: 'warning',
    description:
      'When Prometheus is served over HTTPS through the ALB, its `--web.external-url` should be https too; chart 45.27.2 renders `http://<host>/` when no externalUrl is set, so links in alerts and the UI point at plain HTTP.',
    remediation:
      'Set prometheus.prometheusSpec.externalUrl: https://prometheus.<domain>/ in the values file and helm upgrade.',
    requires: ['k8s.statefulSets'],
    resource: stsRef,
    run(ctx) {
      const ing = ctx.expected.prometheus.ingress;
      if (!ctx.expected.prometheus.enabled || !ing || !ing.alb.listenPorts.some((p) => p.protocol === 'HTTPS')) {
        return [skip(stsRef(ctx), 'Prometheus is not served over HTTPS by an ingress')];
      }
      const found = prometheusStatefulSet(ctx);
      if ('skipped' in found) return [found.skipped];
      const { sts } = found;
      const url = argValue(promContainer(sts)?.args, '--web.external-url');
      const ok = !url || url.startsWith('https://');
      return [
        judge(
          ok,
          stsRef(ctx),
          `external URL ${url ?? '(unset)'}`,
          `external URL is ${url} but users reach Prometheus over HTTPS`,
          {
            expected: `https://${ing.hosts[0] ?? '<host>'}/`,
            actual: url ?? null,
            ...(ing.hosts[0]
              ? {
                  remediation: `Set prometheus.prometheusSpec.externalUrl: https://${ing.hosts[0]}/ in the values file and helm upgrade.`,
                }
              : {}),
          },
        ),
      ];
    },
  },
  {
    code: 'WRK009',
    family: 'workloads',
    title: 'Alertmanager StatefulSet has its replicas ready',
    severity: 'critical',
    description:
      'When alertmanager.enabled, the operator-made StatefulSet `alertmanager-<name>` has all replicas ready.',
    remediation: 'kubectl -n <namespace> describe sts <name>',
    requires: ['k8s.statefulSets'],
    resource: (ctx) => ref('StatefulSet', ctx.expected.namespace, ctx.expected.alertmanager.statefulSetName),
    run(ctx) {
      const r = ref('StatefulSet', ctx.expected.namespace, ctx.expected.alertmanager.statefulSetName);
      if (!ctx.expected.alertmanager.enabled) return [skip(r, 'alertmanager.enabled is false in the values')];
      const sts = find(
        ctx.snapshot.kubernetes.statefulSets,
        ctx.expected.alertmanager.statefulSetName,
        ctx.expected.namespace,
      );
      if (!sts) return [fail(r, 'the Alertmanager StatefulSet does not exist', { actual: null })];
      const replicas = Number(sts.spec?.replicas ?? 1);
      const ready = Number(sts.status?.readyReplicas ?? 0);
      return [
        judge(ready === replicas && replicas > 0, r, `${ready}/${replicas} ready`, `${ready}/${replicas} ready`, {
          expected: replicas,
          actual: ready,
        }),
      ];
    },
  },
];
