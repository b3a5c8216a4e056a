/** Small helpers shared by the check families: reading wire-shape objects and judging them. */
import type { K8sObject, Snapshot } from '../snapshot/types';
import type { Finding, Status } from './types';

export function ref(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}
export function clusterRef(kind: string, name: string): string {
  return `${kind}/${name}`;
}

export function find(list: readonly K8sObject[], name: string, namespace?: string): K8sObject | undefined {
  return list.find(
    (o) =>
      o.metadata.name === name &&
      (namespace === undefined || o.metadata.namespace === undefined || o.metadata.namespace === namespace),
  );
}

export function condition(
  o: K8sObject | undefined,
  type: string,
): { status?: string; reason?: string; message?: string } | undefined {
  const conds = o?.status?.conditions;
  return Array.isArray(conds) ? conds.find((c: { type?: string }) => c.type === type) : undefined;
}

export function pass(resource: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { status: 'pass', resource, message, ...extra };
}
export function fail(resource: string, message: string, extra: Partial<Finding> = {}): Finding {
  return { status: 'fail', resource, message, ...extra };
}
export function skip(resource: string, message: string): Finding {
  return { status: 'skip', resource, message };
}
export function judge(
  ok: boolean,
  resource: string,
  okMsg: string,
  badMsg: string,
  extra: Partial<Finding> = {},
): Finding {
  return { status: (ok ? 'pass' : 'fail') as Status, resource, message: ok ? okMsg : badMsg, ...extra };
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Parses a Kubernetes resource quantity (`20Gi`, `21474836480`, `1.5G`, `1e3`) into a number. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return undefined;
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** Containers of a workload's pod template. */
export function containers(o: K8sObject | undefined): Array<{
  name: string;
  args?: string[];
  command?: string[];
  ports?: Array<{ containerPort?: number; name?: string }>;
}> {
  const c = o?.spec?.template?.spec?.containers;
  return Array.isArray(c) ? c : [];
}

/** The value of `--flag=value` (or `--flag value`) in an argument list. */
export function argValue(args: readonly string[] | undefined, flag: string): string | undefined {
  if (!args) return undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

/** A CollectionError-free view: has the snapshot collected this part? */
export function collected(s: Snapshot, key: Snapshot['collected'][number]): boolean {
  return s.collected.includes(key);
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
