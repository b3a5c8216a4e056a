/**
 * Where the load balancer hands over to Kubernetes: TargetGroupBindings (bound to target groups),
 * Ingresses (the rules made from them) and the Services both route to.
 */
import { conditionValues, orderedRules } from '../../alb/rules';
import type { AwsState, K8sObject, KubernetesState } from '../../snapshot/types';
import { objectId, type TopologyGraph } from './graph';

/** The hosts of an Ingress's rules. */
export function ingressHosts(ing: K8sObject): string[] {
  return (ing.spec?.rules ?? [])
    .map((r: { host?: unknown }) => r.host)
    .filter((h: unknown): h is string => typeof h === 'string');
}

export function addBindings(g: TopologyGraph, k: KubernetesState): void {
  for (const tgb of k.targetGroupBindings) {
    const id = g.addObject('bindings', 'TargetGroupBinding', tgb);
    const arn = tgb.spec?.targetGroupARN;
    if (typeof arn === 'string') g.link(arn, id, 'bound', true);
  }
}

/** Ingresses, linked from the rules whose hosts match theirs (the controller made those rules from them). */
export function addIngresses(g: TopologyGraph, k: KubernetesState, aws: AwsState): void {
  const rules = Object.values(aws.rules).flatMap((r) => orderedRules(r));
  for (const ing of k.ingresses) {
    const id = g.addObject('ingresses', 'Ingress', ing);
    const hosts = ingressHosts(ing)
      .filter(Boolean)
      .map((h) => h.toLowerCase());
    for (const r of rules) {
      const ruleHosts = (conditionValues(r, 'host-header') ?? []).map((h) => h.toLowerCase());
      if (hosts.some((h) => ruleHosts.includes(h))) g.link(r.RuleArn, id, 'from', true);
    }
  }
}

/** Services, then what routes to them: the bindings' serviceRef and the Ingresses' backends. */
export function addServices(g: TopologyGraph, k: KubernetesState): void {
  for (const svc of k.services) {
    const ports = (svc.spec?.ports ?? []).map((p: { port?: number }) => p.port).join(',');
    g.addObject('services', 'Service', svc, `${svc.metadata.name}${ports ? ` :${ports}` : ''}`);
  }
  for (const tgb of k.targetGroupBindings) {
    const svcName = tgb.spec?.serviceRef?.name;
    if (typeof svcName === 'string')
      g.link(objectId('TargetGroupBinding', tgb), `Service/${tgb.metadata.namespace}/${svcName}`);
  }
  for (const ing of k.ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const name = p.backend?.service?.name;
        if (typeof name === 'string') g.link(objectId('Ingress', ing), `Service/${ing.metadata.namespace}/${name}`);
      }
    }
  }
}
