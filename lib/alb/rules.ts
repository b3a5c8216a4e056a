/**
 * How an ALB listener rule routes a request: its host and path conditions and its forward
 * action. Read by the ALB checks and drawn by the topology, from this one place.
 */
import type { ActionShape, Rule } from '../snapshot/types';

function wildcard(pattern: string, flags: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );
}

/** ALB host-header match: case-insensitive, `*` any run of characters, `?` exactly one. */
export function hostMatches(pattern: string, host: string): boolean {
  return wildcard(pattern, 'i').test(host);
}

/** ALB path-pattern match: case-sensitive, `*` and `?` wildcards. */
export function pathMatches(pattern: string, path: string): boolean {
  return wildcard(pattern, '').test(path);
}

/** The values of a rule's conditions on `field` (new-style config or legacy `Values`), or undefined without one. */
export function conditionValues(rule: Rule, field: 'host-header' | 'path-pattern'): string[] | undefined {
  const conds = (rule.Conditions ?? []).filter((c) => c.Field === field);
  if (conds.length === 0) return undefined;
  return conds.flatMap(
    (c) => (field === 'host-header' ? c.HostHeaderConfig?.Values : c.PathPatternConfig?.Values) ?? c.Values ?? [],
  );
}

/** Whether a request for host/path would match the rule (only host and path conditions are judged). */
export function ruleMatches(rule: Rule, host: string, path: string): boolean {
  const hosts = conditionValues(rule, 'host-header');
  const paths = conditionValues(rule, 'path-pattern');
  return (!hosts || hosts.some((h) => hostMatches(h, host))) && (!paths || paths.some((p) => pathMatches(p, path)));
}

/** Target groups an action forwards to, with weights (legacy TargetGroupArn counts as weight 1). */
export function forwardWeights(action: ActionShape): Map<string, number> {
  const out = new Map<string, number>();
  if (action.Type !== 'forward') return out;
  const tgs = action.ForwardConfig?.TargetGroups ?? [];
  if (tgs.length > 0) {
    for (const t of tgs)
      if (t.TargetGroupArn) out.set(t.TargetGroupArn, (out.get(t.TargetGroupArn) ?? 0) + (t.Weight ?? 1));
  } else if (action.TargetGroupArn) out.set(action.TargetGroupArn, 1);
  return out;
}

/** Where a rule forwards: its first forward action by `Order`. */
export function ruleForward(rule: Rule): Map<string, number> {
  const a = (rule.Actions ?? []).filter((x) => x.Type === 'forward').sort((x, y) => (x.Order ?? 0) - (y.Order ?? 0))[0];
  return a ? forwardWeights(a) : new Map();
}

/** Whether the rule is the listener's default rule. */
export function isDefaultRule(rule: Rule): boolean {
  return !!rule.IsDefault || rule.Priority === 'default';
}

/** A listener's rules in evaluation order, the default rule left out. */
export function orderedRules(rules: readonly Rule[] | undefined): Rule[] {
  return (rules ?? []).filter((r) => !isDefaultRule(r)).sort((a, b) => Number(a.Priority) - Number(b.Priority));
}
