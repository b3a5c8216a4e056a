/**
 * The AWS side, left to right: the hosts people type → the load balancer (and its certificates) →
 * listeners → target groups → rules. Rules come last because they link listeners to target groups.
 * How a rule routes is read by lib/alb/rules.ts, as the ALB checks read it.
 */
import { conditionValues, forwardWeights, isDefaultRule, orderedRules } from '../../alb/rules';
import type { ExpectedState } from '../../expected/types';
import type { AwsState, KubernetesState, Rule } from '../../snapshot/types';
import { shortArnName, type TopologyGraph } from './graph';
import { ingressHosts } from './routing';

/** The hosts people type: the expected ones, else those of the Ingresses. */
export function clientHosts(k: KubernetesState, expected?: ExpectedState): string[] {
  if (expected?.hosts?.length) return expected.hosts;
  return [...new Set(k.ingresses.flatMap(ingressHosts))];
}

export function addClients(g: TopologyGraph, hosts: readonly string[]): void {
  for (const h of hosts) g.add({ id: `host:${h}`, layer: 'clients', kind: 'Client', label: `https://${h}` });
}

/** Load balancers (every client reaches each) and the certificates beside them. */
export function addLoadBalancers(g: TopologyGraph, aws: AwsState, hosts: readonly string[]): void {
  for (const lb of aws.loadBalancers) {
    const arn = lb.LoadBalancerArn;
    g.addArn('load balancer', 'LoadBalancer', arn, lb.LoadBalancerName ?? shortArnName(arn));
    for (const h of hosts) g.link(`host:${h}`, arn);
  }
  for (const [arn, cert] of Object.entries(aws.certificates)) {
    g.addArn('load balancer', 'Certificate', arn, cert.DomainName ?? shortArnName(arn));
  }
}

/** Listeners with their TLS certificates, then the redirects between them (HTTP:80 → HTTPS:443). */
export function addListeners(g: TopologyGraph, aws: AwsState): void {
  for (const l of aws.listeners) {
    g.addArn('listeners', 'Listener', l.ListenerArn, `${l.Protocol ?? '?'}:${l.Port ?? '?'}`);
    g.link(l.LoadBalancerArn, l.ListenerArn);
    for (const c of l.Certificates ?? []) if (c.CertificateArn) g.link(l.ListenerArn, c.CertificateArn, 'TLS', true);
  }
  for (const l of aws.listeners) {
    for (const a of l.DefaultActions ?? []) {
      if (a.Type !== 'redirect') continue;
      const port = a.RedirectConfig?.Port;
      const target = aws.listeners.find((o) => o.LoadBalancerArn === l.LoadBalancerArn && String(o.Port) === port);
      if (target) g.link(l.ListenerArn, target.ListenerArn, 'redirect', true);
    }
  }
}

export function addTargetGroups(g: TopologyGraph, aws: AwsState): void {
  for (const tg of aws.targetGroups) {
    const targets = aws.targetHealth[tg.TargetGroupArn] ?? [];
    const healthy = targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
    const name = tg.TargetGroupName ?? shortArnName(tg.TargetGroupArn);
    g.addArn('target groups', 'TargetGroup', tg.TargetGroupArn, `${name} (${healthy}/${targets.length} healthy)`);
  }
}

/** Each listener's rules in evaluation order, each forwarding to its target groups; the default rule is an edge. */
export function addRules(g: TopologyGraph, aws: AwsState): void {
  for (const [listenerArn, rules] of Object.entries(aws.rules)) {
    for (const r of orderedRules(rules)) {
      const hosts = conditionValues(r, 'host-header') ?? [];
      g.addArn('rules', 'Rule', r.RuleArn, `#${r.Priority} ${hosts.join(', ') || 'rule'}`);
      g.link(listenerArn, r.RuleArn);
      for (const tg of forwardTargets(r)) g.link(r.RuleArn, tg, 'forward');
    }
    for (const r of rules.filter(isDefaultRule)) for (const tg of forwardTargets(r)) g.link(listenerArn, tg, 'default');
  }
}

/** Every target group any forward action of the rule names. */
function forwardTargets(rule: Rule): string[] {
  return (rule.Actions ?? []).flatMap((a) => [...forwardWeights(a).keys()]);
}
