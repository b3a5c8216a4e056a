/**
 * Helm manifest drift: what Helm rendered (the release's manifest) against the live objects, for
 * what matters: replicas, images, container args and ports, Service ports, Ingress hosts and
 * annotations, and the Prometheus resource's retention and storage claim. The operator-made
 * StatefulSet is not in the manifest; its Prometheus resource is compared instead.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { deployedRelease } from '../helm/release';
import type { K8sObject } from '../snapshot/types';
import type { Check, CheckContext, Finding } from './types';
import { fail, pass, skip } from './util';

interface Diff {
  resource: string;
  field: string;
  rendered: unknown;
  live: unknown;
}

const KIND_LIST: Record<string, (ctx: CheckContext) => K8sObject[]> = {
  Deployment: (c) => c.snapshot.kubernetes.deployments,
  DaemonSet: (c) => c.snapshot.kubernetes.daemonSets,
  Service: (c) => c.snapshot.kubernetes.services,
  Ingress: (c) => c.snapshot.kubernetes.ingresses,
  Prometheus: (c) => c.snapshot.kubernetes.prometheuses,
};

function containersOf(
  o: K8sObject,
): Array<{ name: string; image?: string; args?: string[]; ports?: Array<{ containerPort?: number }> }> {
  return o.spec?.template?.spec?.containers ?? [];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What differs between the manifest and the live objects, for the kinds compared, in the namespace
 * the objects were read from. Objects the chart renders into other namespaces (its kube-system
 * Services for CoreDNS and kube-proxy) are not read, so they are counted as not compared.
 */
/**
 * The documents of a manifest whose kind is one of `kinds`, parsed. Helm writes each document
 * after a `---` line with its `kind:` at the top level; a real kube-prometheus-stack manifest is
 * mostly dashboards (ConfigMaps) and rules (PrometheusRules), which are never parsed here.
 *
 * Parsed with js-yaml's YAML 1.2 core schema (the `yaml` package's default, which this used
 * before: same results on the chart's documents, test/unit/checks/drift.test.ts): js-yaml is
 * already in the verify bundle through @kubernetes/client-node, and parses these documents about
 * 7 times faster, 8 times faster still on a cold start (a Lambda's first invocation).
 */
export function renderedObjects(manifest: string, kinds: readonly string[]): readonly K8sObject[] {
  // A warm Lambda compares the same revision's manifest every run: its documents are parsed once.
  const key = kinds.join(',');
  if (lastRendered?.manifest === manifest && lastRendered.kinds === key) return lastRendered.docs;
  const docs = parseRendered(manifest, kinds).map(deepFreeze);
  lastRendered = { manifest, kinds: key, docs };
  return docs;
}

/** The documents parsed from the last manifest read; frozen, since every run shares them. */
let lastRendered: { manifest: string; kinds: string; docs: readonly K8sObject[] } | undefined;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function parseRendered(manifest: string, kinds: readonly string[]): K8sObject[] {
  const out: K8sObject[] = [];
  for (const text of manifest.split(/^---[ \t]*$/m)) {
    const kind = /^kind:[ \t]*["']?([A-Za-z0-9]+)/m.exec(text)?.[1];
    if (!kind || !kinds.includes(kind)) continue;
    const doc = load(text, { schema: CORE_SCHEMA }) as K8sObject | null;
    if (doc && typeof doc === 'object' && doc.kind === kind && doc.metadata?.name) out.push(doc);
  }
  return out;
}

export function manifestDiffs(
  manifest: string,
  ctx: CheckContext,
): { diffs: Diff[]; compared: number; elsewhere: number } {
  const diffs: Diff[] = [];
  let compared = 0;
  let elsewhere = 0;
  const docs = renderedObjects(manifest, Object.keys(KIND_LIST));
  for (const r of docs) {
    const list = KIND_LIST[r.kind as string];
    if (!list) continue;
    const ns = r.metadata.namespace ?? ctx.expected.namespace;
    if (ns !== ctx.expected.namespace) {
      elsewhere += 1;
      continue;
    }
    compared += 1;
    const resource = `${r.kind}/${ns}/${r.metadata.name}`;
    const live = list(ctx).find((o) => o.metadata.name === r.metadata.name && (o.metadata.namespace ?? ns) === ns);
    if (!live) {
      diffs.push({ resource, field: '(object)', rendered: 'present', live: null });
      continue;
    }
    const add = (field: string, rendered: unknown, actual: unknown) => {
      if (rendered !== undefined && !same(rendered, actual))
        diffs.push({ resource, field, rendered, live: actual ?? null });
    };
    if (r.kind === 'Deployment') add('spec.replicas', r.spec?.replicas ?? 1, live.spec?.replicas ?? 1);
    if (r.kind === 'Deployment' || r.kind === 'DaemonSet') {
      for (const c of containersOf(r)) {
        const lc = containersOf(live).find((x) => x.name === c.name);
        if (!lc) {
          diffs.push({ resource, field: `container ${c.name}`, rendered: 'present', live: null });
          continue;
        }
        add(`container ${c.name} image`, c.image, lc.image);
        add(`container ${c.name} args`, c.args, lc.args);
        add(
          `container ${c.name} ports`,
          (c.ports ?? []).map((p) => p.containerPort),
          (lc.ports ?? []).map((p) => p.containerPort),
        );
      }
    }
    if (r.kind === 'Service') {
      const ports = (o: K8sObject) =>
        (o.spec?.ports ?? []).map((p: { port?: number; targetPort?: unknown }) => `${p.port}->${p.targetPort}`);
      add('spec.ports', ports(r), ports(live));
    }
    if (r.kind === 'Ingress') {
      const hosts = (o: K8sObject) => (o.spec?.rules ?? []).map((x: { host?: string }) => x.host);
      add('spec.rules[].host', hosts(r), hosts(live));
      const ann = (o: K8sObject) =>
        Object.fromEntries(
          Object.entries(o.metadata.annotations ?? {}).filter(([k]) => k.startsWith('alb.ingress.kubernetes.io/')),
        );
      for (const [k, v] of Object.entries(ann(r))) add(`annotation ${k}`, v, ann(live)[k]);
    }
    if (r.kind === 'Prometheus') {
      for (const f of [
        'replicas',
        'retention',
        'retentionSize',
        'scrapeInterval',
        'evaluationInterval',
        'externalUrl',
        'image',
      ])
        add(`spec.${f}`, r.spec?.[f], live.spec?.[f]);
      const vct = (o: K8sObject) => o.spec?.storage?.volumeClaimTemplate?.spec;
      add('storage class', vct(r)?.storageClassName, vct(live)?.storageClassName);
      add('storage size', vct(r)?.resources?.requests?.storage, vct(live)?.resources?.requests?.storage);
    }
  }
  return { diffs, compared, elsewhere };
}

export const driftChecks: Check[] = [
  {
    code: 'HELM101',
    family: 'helm',
    title: 'Live objects match what Helm rendered',
    severity: 'warning',
    description:
      "The manifest of the deployed release (what Helm rendered) and the live objects agree on replicas, images, container args and ports, Service ports, Ingress hosts and ALB annotations, and the Prometheus resource's retention, intervals and storage claim. A difference means someone changed the cluster by hand (kubectl edit/scale) or a controller overrode it.",
    remediation:
      'helm diff upgrade (plugin) or helm get manifest <release> -n <namespace>; re-apply with helm upgrade, or make the change in the values file.',
    requires: [
      'k8s.helmReleases',
      'k8s.deployments',
      'k8s.daemonSets',
      'k8s.services',
      'k8s.ingresses',
      'k8s.prometheuses',
    ],
    resource: (ctx) => `Secret/${ctx.expected.namespace}/sh.helm.release.v1.${ctx.expected.release}`,
    // The manifest's documents are parsed (renderedObjects keeps them) as soon as the release is
    // read: on a cold start that is tens of ms, spent while the ALB's reads are still on their way.
    prepare: {
      needs: ['k8s.helmReleases'],
      run(parts, expected) {
        const rel = deployedRelease(parts.kubernetes.helmReleases.filter((r) => r.name === expected.release));
        if (rel?.manifest?.trim()) renderedObjects(rel.manifest, Object.keys(KIND_LIST));
      },
    },
    run(ctx): Finding[] {
      const rel = deployedRelease(ctx.snapshot.kubernetes.helmReleases.filter((r) => r.name === ctx.expected.release));
      const ref = rel
        ? `Secret/${ctx.expected.namespace}/${rel.secretName}`
        : `Secret/${ctx.expected.namespace}/sh.helm.release.v1.${ctx.expected.release}`;
      if (!rel) return [skip(ref, 'no deployed release (see HELM001)')];
      if (!rel.manifest?.trim()) return [skip(ref, 'the release carries no manifest to compare (recorded without it)')];
      const { diffs, compared, elsewhere } = manifestDiffs(rel.manifest, ctx);
      if (diffs.length === 0)
        return [
          pass(
            ref,
            `the ${compared} objects compared match the manifest of revision ${rel.revision}${elsewhere ? ` (${elsewhere} in other namespaces not read)` : ''}`,
          ),
        ];
      return diffs.map((d) =>
        fail(d.resource, `${d.field} differs from what Helm rendered`, { expected: d.rendered, actual: d.live }),
      );
    },
  },
];
