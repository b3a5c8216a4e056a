/**
 * The explicit registry of checks. Codes are unique and families known, asserted at load time
 * and by test/unit/checks/registry.test.ts (which also demands a docs/checks.md row per code).
 */
import type { Check } from './types';
import { FAMILIES } from './types';
import { helmChecks } from './helm';
import { driftChecks } from './drift';
import { workloadChecks } from './workloads';
import { storageChecks } from './storage';
import { crdChecks } from './crds';
import { ingressChecks } from './ingress';
import { albChecks } from './alb';
import { certificateChecks } from './certificate';
import { heartbeatChecks } from './heartbeat';
import { prometheusChecks } from './prometheus';
import { grafanaChecks } from './grafana';

export const allChecks: readonly Check[] = [
  ...helmChecks,
  ...driftChecks,
  ...workloadChecks,
  ...storageChecks,
  ...crdChecks,
  ...ingressChecks,
  ...albChecks,
  ...certificateChecks,
  ...prometheusChecks,
  ...grafanaChecks,
  ...heartbeatChecks,
];

function assertRegistry(checks: readonly Check[]): void {
  const seen = new Set<string>();
  for (const c of checks) {
    if (!/^[A-Z]{3,4}\d{3}$/.test(c.code)) throw new Error(`check code ${c.code} is malformed`);
    if (seen.has(c.code)) throw new Error(`check code ${c.code} is registered twice`);
    if (!(FAMILIES as readonly string[]).includes(c.family))
      throw new Error(`check ${c.code} has unknown family ${c.family}`);
    seen.add(c.code);
  }
}
assertRegistry(allChecks);

export function findCheck(code: string): Check | undefined {
  const want = code.trim().toUpperCase();
  return allChecks.find((c) => c.code === want);
}
