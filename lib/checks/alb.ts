/**
 * The shared ALB made by the AWS Load Balancer Controller: found, HTTP redirects to HTTPS, HTTPS
 * uses the certificate, host rules forward to the right target groups (told apart by tag or
 * TargetGroupBinding, never by name), TargetGroupBindings agree, targets healthy.
 *
 * Resources: the ARN of the object judged. Where the object is missing, the ARN of the object that
 * should hold it (the load balancer for a missing listener, the HTTPS listener for a missing host
 * rule); a load balancer that cannot be found is named `arn:aws:elasticloadbalancing:::loadbalancer/app/<name>`.
 */
import { TAG_CLUSTER, TAG_RESOURCE, pickLoadBalancer, tagValue } from '../alb/lookup';
import { conditionValues, orderedRules, ruleForward, ruleMatches } from '../alb/rules';
import type { Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '../snapshot/types';
import type { IngressExpectation } from '../expected/types';
import type { Check, CheckContext, Finding } from './types';
import { fail, judge, pass, ref, skip } from './util';

/** The load balancer of the ingress group (lib/alb/lookup.ts: by stack tag, then by name, then by the Ingress status hostname). */
export function findLoadBalancer(ctx: CheckContext): LoadBalancer | undefined {
  const { loadBalancers, tags } = ctx.snapshot.aws;
  return pickLoadBalancer(loadBalancers, tags, ctx.snapshot.kubernetes.ingresses, {
    ...ctx.expected.alb,
    cluster: ctx.snapshot.cluster,
  });
}

function missingLbRef(ctx: CheckContext): string {
  return `arn:aws:elasticloadbalancing:::loadbalancer/app/${ctx.expected.alb.loadBalancerName ?? ctx.expected.alb.groupName ?? 'unknown'}`;
}

function lbRef(ctx: CheckContext): string {
  return findLoadBalancer(ctx)?.LoadBalancerArn ?? missingLbRef(ctx);
}

function listenersOf(ctx: CheckContext, lb: LoadBalancer): Listener[] {
  return ctx.snapshot.aws.listeners.filter((l) => l.LoadBalancerArn === lb.LoadBalancerArn);
}

function httpsListener(ctx: CheckContext, lb: LoadBalancer): Listener | undefined {
  return listenersOf(ctx, lb).find((l) => l.Port === ctx.expected.alb.httpsPort && l.Protocol === 'HTTPS');
}

function sortedRules(ctx: CheckContext, listener: Listener): Rule[] {
  return orderedRules(ctx.snapshot.aws.rules[listener.ListenerArn]);
}

interface Route {
  what: 'Prometheus' | 'Grafana';
  host: string;
  path: string;
  ing: IngressExpectation;
}

function routes(ctx: CheckContext): Route[] {
  const out: Route[] = [];
  const add = (what: Route['what'], ing: IngressExpectation | undefined, enabled: boolean) => {
    if (!enabled || !ing) return;
    for (const host of ing.hosts) out.push({ what, host, path: '/', ing });
  };
  add('Prometheus', ctx.expected.prometheus.ingress, ctx.expected.prometheus.enabled);
  add('Grafana', ctx.expected.grafana.ingress, ctx.expected.grafana.enabled);
  return out;
}

/** The target group of a service: by the controller's resource tag, else by its TargetGroupBinding. */
export function targetGroupFor(ctx: CheckContext, ing: IngressExpectation): TargetGroup | undefined {
  const ns = ctx.expected.namespace;
  const wantTag = `${ns}/${ing.name}-${ing.serviceName}:${ing.servicePort}`;
  const { targetGroups, tags } = ctx.snapshot.aws;
  const byTag = targetGroups.find((tg) => tagValue(tags[tg.TargetGroupArn], TAG_RESOURCE) === wantTag);
  if (byTag) return byTag;
  const tgb = ctx.snapshot.kubernetes.targetGroupBindings.find(
    (b) =>
      b.metadata.namespace === ns &&
      b.spec?.serviceRef?.name === ing.serviceName &&
      String(b.spec?.serviceRef?.port) === String(ing.servicePort),
  );
  return tgb ? targetGroups.find((tg) => tg.TargetGroupArn === tgb.spec?.targetGroupARN) : undefined;
}

function describeForward(w: Map<string, number>, ctx: CheckContext): string {
  if (w.size === 0) return 'no forward action';
  return [...w.entries()]
    .map(([arn, weight]) => {
      const name = ctx.snapshot.aws.targetGroups.find((t) => t.TargetGroupArn === arn)?.TargetGroupName ?? arn;
      return w.size > 1 ? `${name} (weight ${weight})` : name;
    })
    .join(', ');
}

function noLb(ctx: CheckContext, what: string): Finding {
  return skip(
    missingLbRef(ctx),
    `no load balancer of the ingress group was found, so ${what} cannot be checked (see ALB001)`,
  );
}

function stackTargetGroups(
  ctx: CheckContext,
): Array<{ what: string; tg: TargetGroup | undefined; ing: IngressExpectation }> {
  const seen = new Set<string>();
  return routes(ctx)
    .filter((r) => (seen.has(r.ing.name) ? false : (seen.add(r.ing.name), true)))
    .map((r) => ({ what: r.what, tg: targetGroupFor(ctx, r.ing), ing: r.ing }));
}

/** Judges each of the stack's target groups; a group that cannot be identified is skipped, saying why. */
function forEachTargetGroup(
  ctx: CheckContext,
  judgeGroup: (what: string, tg: TargetGroup, ing: IngressExpectation) => Finding,
): Finding[] {
  const tgs = stackTargetGroups(ctx);
  if (tgs.length === 0) return [skip(missingLbRef(ctx), 'no ALB ingress is enabled in the values')];
  return tgs.map(({ what, tg, ing }) =>
    tg
      ? judgeGroup(what, tg, ing)
      : skip(
          `${lbRef(ctx)} target group for ${ing.serviceName}`,
          `the ${what} target group cannot be identified (see ALB004/ALB006)`,
        ),
  );
}

/** The routes and the HTTPS listener's rules, or the skip saying why they cannot be judged. */
function routedRules(ctx: CheckContext, what: string): { rs: Route[]; listener: Listener; rules: Rule[] } | Finding[] {
  const rs = routes(ctx);
  if (rs.length === 0) return [skip(missingLbRef(ctx), 'no ALB ingress is enabled in the values')];
  const lb = findLoadBalancer(ctx);
  if (!lb) return [noLb(ctx, what)];
  const listener = httpsListener(ctx, lb);
  if (!listener) return [skip(lb.LoadBalancerArn, 'no HTTPS listener (see ALB002)')];
  return { rs, listener, rules: sortedRules(ctx, listener) };
}

/**
 * Targets still within the grace of `overrides.thresholds.targetHealthGraceSeconds`: `initial` or
 * `unhealthy` while the pod behind the IP target started less than the grace ago. Needs the pods
 * (collected for the workloads family); without them nothing is in grace.
 */
function warmingTargets(ctx: CheckContext, targets: readonly TargetHealthDescription[]): Set<TargetHealthDescription> {
  const grace = ctx.expected.thresholds.targetHealthGraceSeconds * 1000;
  const out = new Set<TargetHealthDescription>();
  if (grace <= 0) return out;
  for (const t of targets) {
    const state = t.TargetHealth?.State;
    if (state !== 'initial' && state !== 'unhealthy') continue;
    const pod = ctx.snapshot.kubernetes.pods.find((p) => p.status?.podIP === t.Target?.Id);
    const started = Date.parse(pod?.status?.startTime ?? '');
    if (Number.isFinite(started) && ctx.now.getTime() - started < grace) out.add(t);
  }
  return out;
}

export const albChecks: Check[] = [
  {
    code: 'ALB001',
    family: 'alb',
    title: 'Load balancer of the ingress group exists and is active',
    severity: 'critical',
    description:
      'The ALB the AWS Load Balancer Controller made for the ingress group is found (tags `ingress.k8s.aws/stack` and `elbv2.k8s.aws/cluster`, its name, or the Ingress status hostname) and its state is `active`.',
    remediation:
      'kubectl -n kube-system logs deploy/aws-load-balancer-controller; aws elbv2 describe-load-balancers --names <lb-name>',
    requires: ['aws.loadBalancers', 'aws.tags', 'k8s.ingresses'],
    resource: lbRef,
    run(ctx) {
      if (routes(ctx).length === 0) return [skip(missingLbRef(ctx), 'no ALB ingress is enabled in the values')];
      const lb = findLoadBalancer(ctx);
      if (!lb) {
        return [
          fail(
            missingLbRef(ctx),
            `no load balancer of ingress group ${ctx.expected.alb.groupName ?? '-'} (name ${ctx.expected.alb.loadBalancerName ?? '-'}) was found`,
            {
              expected: { group: ctx.expected.alb.groupName ?? null, name: ctx.expected.alb.loadBalancerName ?? null },
              actual: ctx.snapshot.aws.loadBalancers.map((l) => l.LoadBalancerName),
            },
          ),
        ];
      }
      const state = lb.State?.Code ?? 'unknown';
      const cluster = tagValue(ctx.snapshot.aws.tags[lb.LoadBalancerArn], TAG_CLUSTER);
      const clusterOk = !cluster || cluster === ctx.snapshot.cluster;
      return [
        judge(
          state === 'active' && clusterOk,
          lb.LoadBalancerArn,
          `${lb.LoadBalancerName} is active (${lb.DNSName})`,
          state !== 'active'
            ? `${lb.LoadBalancerName} is ${state}${lb.State?.Reason ? `: ${lb.State.Reason}` : ''}`
            : `${lb.LoadBalancerName} belongs to cluster ${cluster}, not ${ctx.snapshot.cluster}`,
          { expected: { state: 'active', cluster: ctx.snapshot.cluster }, actual: { state, cluster: cluster ?? null } },
        ),
      ];
    },
  },
  {
    code: 'ALB002',
    family: 'alb',
    title: 'HTTPS listener uses the expected certificate',
    severity: 'critical',
    description:
      'The HTTPS:443 listener exists and its certificates include the expected ACM certificate (default or additional).',
    remediation:
      'Check alb.ingress.kubernetes.io/certificate-arn on the Ingresses (and the CERT_ARN substituted into the values); aws elbv2 describe-listener-certificates --listener-arn <listener-arn>',
    requires: ['aws.loadBalancers', 'aws.listeners', 'aws.tags', 'k8s.ingresses'],
    resource: (ctx) => {
      const lb = findLoadBalancer(ctx);
      return (lb && httpsListener(ctx, lb)?.ListenerArn) ?? lbRef(ctx);
    },
    run(ctx) {
      if (routes(ctx).length === 0) return [skip(missingLbRef(ctx), 'no ALB ingress is enabled in the values')];
      const lb = findLoadBalancer(ctx);
      if (!lb) return [noLb(ctx, 'the HTTPS listener')];
      const l = httpsListener(ctx, lb);
      if (!l) {
        return [
          fail(lb.LoadBalancerArn, `the load balancer has no HTTPS:${ctx.expected.alb.httpsPort} listener`, {
            expected: `HTTPS:${ctx.expected.alb.httpsPort}`,
            actual: listenersOf(ctx, lb).map((x) => `${x.Protocol}:${x.Port}`),
          }),
        ];
      }
      const certs = (l.Certificates ?? []).map((c) => c.CertificateArn).filter((c): c is string => !!c);
      const want = ctx.expected.alb.certificateArn;
      if (!want)
        return [
          judge(certs.length > 0, l.ListenerArn, `certificate ${certs[0]}`, 'the HTTPS listener has no certificate', {
            actual: certs,
          }),
        ];
      return [
        judge(
          certs.includes(want),
          l.ListenerArn,
          'uses the expected certificate',
          `uses ${certs.join(', ') || 'no certificate'}, not the expected one`,
          { expected: want, actual: certs },
        ),
      ];
    },
  },
  {
    code: 'ALB003',
    family: 'alb',
    title: 'HTTP listener redirects to HTTPS',
    severity: 'critical',
    description:
      "The HTTP:80 listener's default action is a `redirect` to protocol HTTPS, port 443, status HTTP_301 (`#{port}` would keep port 80 and `#{protocol}` plain HTTP: not a redirect to HTTPS).",
    remediation:
      "Set alb.ingress.kubernetes.io/ssl-redirect: '443' on every Ingress of the group (the controller then rewrites the HTTP listener's default action), and helm upgrade.",
    requires: ['aws.loadBalancers', 'aws.listeners', 'aws.tags', 'k8s.ingresses'],
    resource: (ctx) => {
      const lb = findLoadBalancer(ctx);
      return (lb && listenersOf(ctx, lb).find((l) => l.Protocol === 'HTTP')?.ListenerArn) ?? lbRef(ctx);
    },
    run(ctx) {
      const from = ctx.expected.alb.httpRedirectFromPort;
      if (from === undefined)
        return [skip(lbRef(ctx), 'no ssl-redirect with an HTTP listen port is expected by the values')];
      const lb = findLoadBalancer(ctx);
      if (!lb) return [noLb(ctx, 'the HTTP redirect')];
      const l = listenersOf(ctx, lb).find((x) => x.Port === from && x.Protocol === 'HTTP');
      if (!l)
        return [
          fail(lb.LoadBalancerArn, `the load balancer has no HTTP:${from} listener`, {
            expected: `HTTP:${from} redirecting to HTTPS:${ctx.expected.alb.httpsPort}`,
            actual: null,
          }),
        ];
      const action = [...(l.DefaultActions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))[0];
      const rc = action?.RedirectConfig;
      const want = {
        Type: 'redirect',
        Protocol: 'HTTPS',
        Port: String(ctx.expected.alb.httpsPort),
        StatusCode: 'HTTP_301',
      };
      const got = {
        Type: action?.Type ?? null,
        Protocol: rc?.Protocol ?? null,
        Port: rc?.Port ?? null,
        StatusCode: rc?.StatusCode ?? null,
      };
      if (action?.Type !== 'redirect') {
        return [
          fail(
            l.ListenerArn,
            `HTTP:${from} ${action?.Type === 'forward' ? 'forwards traffic in plain HTTP' : `answers with ${action?.Type ?? 'nothing'}`} instead of redirecting to HTTPS`,
            { expected: want, actual: got },
          ),
        ];
      }
      const problems: string[] = [];
      if (rc?.Protocol !== 'HTTPS') problems.push(`protocol ${rc?.Protocol ?? '-'}`);
      if (rc?.Port !== want.Port)
        problems.push(`port ${rc?.Port ?? '-'}${rc?.Port === '#{port}' ? ' (keeps the request port)' : ''}`);
      if (rc?.StatusCode !== 'HTTP_301') problems.push(`status ${rc?.StatusCode ?? '-'}`);
      return [
        problems.length === 0
          ? pass(l.ListenerArn, `HTTP:${from} redirects to HTTPS:${want.Port} (301)`, { expected: want, actual: got })
          : fail(l.ListenerArn, `HTTP:${from} redirects, but with ${problems.join(', ')}`, {
              expected: want,
              actual: got,
            }),
      ];
    },
  },
  {
    code: 'ALB004',
    family: 'alb',
    title: 'Host rule forwards to the right target group',
    severity: 'critical',
    description:
      "On the HTTPS listener, the first rule (by priority) that a request for `prometheus.<domain>` / `grafana.<domain>` matches forwards to that service's target group, told apart by the controller's `ingress.k8s.aws/resource` tag or the TargetGroupBinding (both groups are named k8s-monitori-kubeprom-…). Weighted ForwardConfig: the right group must have weight > 0 and no other group any weight.",
    remediation:
      'Check the Ingress hosts/backends and group order (alb.ingress.kubernetes.io/group.order); aws elbv2 describe-rules --listener-arn <listener-arn>',
    requires: [
      'aws.loadBalancers',
      'aws.listeners',
      'aws.rules',
      'aws.targetGroups',
      'aws.tags',
      'k8s.ingresses',
      'k8s.targetGroupBindings',
    ],
    resource: lbRef,
    run(ctx) {
      const routed = routedRules(ctx, 'host routing');
      if (Array.isArray(routed)) return routed;
      const { rs, listener: l, rules } = routed;
      return rs.map(({ what, host, path, ing }): Finding => {
        const tg = targetGroupFor(ctx, ing);
        const serving = rules.find((r) => ruleMatches(r, host, path));
        if (!serving) {
          return fail(
            l.ListenerArn,
            `no rule on the HTTPS listener matches host ${host}: requests get the default action`,
            {
              expected: { host, targetGroup: tg?.TargetGroupArn ?? `${what} target group` },
              actual: null,
            },
          );
        }
        const w = ruleForward(serving);
        const expectedTg = tg?.TargetGroupArn;
        const wrong = [...w.entries()].filter(([arn, weight]) => arn !== expectedTg && weight > 0);
        const ok = !!expectedTg && (w.get(expectedTg) ?? 0) > 0 && wrong.length === 0;
        const expected = { host, targetGroup: expectedTg ?? `${what} target group (not found)` };
        const actual = { rule: serving.RuleArn, priority: serving.Priority, forward: Object.fromEntries(w) };
        return judge(
          ok,
          serving.RuleArn,
          `${host} → ${describeForward(w, ctx)} (priority ${serving.Priority})`,
          !expectedTg
            ? `the ${what} target group cannot be identified (no ingress.k8s.aws/resource tag nor TargetGroupBinding)`
            : `${host} is served by the rule with priority ${serving.Priority}, which forwards to ${describeForward(w, ctx)} instead of the ${what} target group`,
          { expected, actual },
        );
      });
    },
  },
  {
    code: 'ALB005',
    family: 'alb',
    title: 'No earlier rule shadows a host rule',
    severity: 'critical',
    description:
      'No rule with a lower priority number also matches the host and path of the Prometheus/Grafana rule (a wildcard host or a catch-all from another Ingress of the group would take their traffic).',
    remediation:
      "Order the group with alb.ingress.kubernetes.io/group.order, or narrow the other Ingress's host/path; aws elbv2 describe-rules --listener-arn <listener-arn>",
    requires: ['aws.loadBalancers', 'aws.listeners', 'aws.rules', 'aws.tags', 'k8s.ingresses'],
    resource: lbRef,
    run(ctx) {
      const routed = routedRules(ctx, 'rule order');
      if (Array.isArray(routed)) return routed;
      const { rs, listener: l, rules } = routed;
      return rs.map(({ host, path }): Finding => {
        const own = rules.find((r) =>
          (conditionValues(r, 'host-header') ?? []).some((h) => h.toLowerCase() === host.toLowerCase()),
        );
        if (!own) return skip(l.ListenerArn, `no rule names host ${host} (see ALB004)`);
        const earlier = rules.filter((r) => Number(r.Priority) < Number(own.Priority) && ruleMatches(r, host, path));
        if (earlier.length === 0)
          return pass(own.RuleArn, `rule for ${host} (priority ${own.Priority}) is not shadowed`);
        const s = earlier[0];
        return fail(
          s.RuleArn,
          `rule with priority ${s.Priority} (hosts ${(conditionValues(s, 'host-header') ?? ['*']).join(', ')}) matches ${host} before its own rule (priority ${own.Priority})`,
          {
            expected: { firstMatchingRule: own.RuleArn },
            actual: { firstMatchingRule: s.RuleArn, priority: s.Priority },
          },
        );
      });
    },
  },
  {
    code: 'ALB006',
    family: 'alb',
    title: 'TargetGroupBinding binds the service to the target group the ALB forwards to',
    severity: 'critical',
    description:
      'A TargetGroupBinding exists for the Prometheus and the Grafana service (`spec.serviceRef`), and its `spec.targetGroupARN` is exactly the target group the host rule forwards to (a binding to a group the ALB does not use registers pods nobody reaches).',
    remediation:
      'kubectl -n <namespace> get targetgroupbindings -o wide; delete a stale binding and let the controller recreate it (kubectl annotate ingress … to trigger a reconcile).',
    requires: [
      'k8s.targetGroupBindings',
      'aws.loadBalancers',
      'aws.listeners',
      'aws.rules',
      'aws.targetGroups',
      'aws.tags',
      'k8s.ingresses',
    ],
    resource: (ctx) => ref('TargetGroupBinding', ctx.expected.namespace, 'unknown'),
    run(ctx) {
      const ns = ctx.expected.namespace;
      const lb = findLoadBalancer(ctx);
      const l = lb ? httpsListener(ctx, lb) : undefined;
      const rules = l ? sortedRules(ctx, l) : [];
      const usedByAlb = new Set(rules.flatMap((r) => [...ruleForward(r).keys()]));
      const seen = new Set<string>();
      const out: Finding[] = [];
      for (const { what, host, path, ing } of routes(ctx)) {
        if (seen.has(ing.serviceName)) continue;
        seen.add(ing.serviceName);
        const bindings = ctx.snapshot.kubernetes.targetGroupBindings.filter(
          (b) => b.metadata.namespace === ns && b.spec?.serviceRef?.name === ing.serviceName,
        );
        if (bindings.length === 0) {
          out.push(
            fail(
              ref('TargetGroupBinding', ns, `${ing.serviceName} (none)`),
              `no TargetGroupBinding binds service ${ing.serviceName}: the ${what} pods are not registered in any target group`,
              { expected: `a binding for ${ing.serviceName}:${ing.servicePort}`, actual: null },
            ),
          );
          continue;
        }
        const serving = rules.find((r) => ruleMatches(r, host, path));
        const forwardTo = serving ? [...ruleForward(serving).entries()].filter(([, w]) => w > 0).map(([a]) => a) : [];
        for (const b of bindings) {
          const r = ref('TargetGroupBinding', ns, b.metadata.name);
          const arn: string = b.spec?.targetGroupARN ?? '';
          if (!lb || !l) {
            out.push(skip(r, 'no load balancer/HTTPS listener to compare with (see ALB001/ALB002)'));
            continue;
          }
          const ok = forwardTo.includes(arn);
          out.push(
            judge(
              ok,
              r,
              `binds ${ing.serviceName} to the target group ${host} forwards to`,
              usedByAlb.has(arn)
                ? `binds ${ing.serviceName} to ${arn}, but ${host} forwards to ${forwardTo.join(', ') || 'nothing'}`
                : `binds ${ing.serviceName} to ${arn}, a target group the ALB does not forward to`,
              {
                expected: forwardTo,
                actual: arn,
              },
            ),
          );
        }
      }
      return out.length
        ? out
        : [skip(ref('TargetGroupBinding', ns, 'none'), 'no ALB ingress is enabled in the values')];
    },
  },
  {
    code: 'ALB007',
    family: 'alb',
    title: 'Target group has the expected target type and port',
    severity: 'warning',
    description:
      "The service's target group uses target type `ip` (alb.ingress.kubernetes.io/target-type) and the pod port (Prometheus 9090, Grafana 3000).",
    remediation: 'Fix alb.ingress.kubernetes.io/target-type on the Ingress; the controller recreates the target group.',
    requires: ['aws.loadBalancers', 'aws.targetGroups', 'aws.tags', 'k8s.targetGroupBindings', 'k8s.ingresses'],
    resource: lbRef,
    run(ctx) {
      return forEachTargetGroup(ctx, (what, tg, ing): Finding => {
        const wantType = ing.alb.targetType ?? 'instance';
        const wantPort = what === 'Grafana' ? ctx.expected.grafana.targetPort : ctx.expected.prometheus.port;
        const ok = tg.TargetType === wantType && (wantType !== 'ip' || tg.Port === wantPort);
        return judge(
          ok,
          tg.TargetGroupArn,
          `${tg.TargetType} targets on port ${tg.Port}`,
          `target type ${tg.TargetType}, port ${tg.Port}; expected ${wantType}${wantType === 'ip' ? ` on port ${wantPort}` : ''}`,
          {
            expected: { TargetType: wantType, ...(wantType === 'ip' ? { Port: wantPort } : {}) },
            actual: { TargetType: tg.TargetType ?? null, Port: tg.Port ?? null },
          },
        );
      });
    },
  },
  {
    code: 'ALB008',
    family: 'alb',
    title: 'Every target is healthy',
    severity: 'critical',
    description:
      'Every registered target of the Prometheus and Grafana target groups is `healthy` (an empty target group fails too: nothing answers).',
    remediation:
      'aws elbv2 describe-target-health --target-group-arn <arn>: check the reason (Target.ResponseCodeMismatch → success-codes annotation; Target.Timeout → security groups/pod readiness).',
    requires: [
      'aws.loadBalancers',
      'aws.targetGroups',
      'aws.targetHealth',
      'aws.tags',
      'k8s.targetGroupBindings',
      'k8s.ingresses',
    ],
    resource: lbRef,
    run(ctx) {
      return forEachTargetGroup(ctx, (what, tg): Finding => {
        const targets = ctx.snapshot.aws.targetHealth[tg.TargetGroupArn] ?? [];
        const warming = warmingTargets(ctx, targets);
        const bad = targets.filter((t) => t.TargetHealth?.State !== 'healthy' && !warming.has(t));
        const actual = targets.map((t) => ({
          id: `${t.Target?.Id}:${t.Target?.Port}`,
          state: t.TargetHealth?.State ?? null,
          ...(t.TargetHealth?.Reason ? { reason: t.TargetHealth.Reason } : {}),
        }));
        if (targets.length === 0)
          return fail(tg.TargetGroupArn, `the ${what} target group has no registered targets`, {
            expected: 'at least one healthy target',
            actual: [],
          });
        return judge(
          bad.length === 0,
          tg.TargetGroupArn,
          warming.size > 0
            ? `${targets.length - warming.size}/${targets.length} targets healthy, ${warming.size} registering within the ${ctx.expected.thresholds.targetHealthGraceSeconds}s grace`
            : `${targets.length}/${targets.length} targets healthy`,
          `${bad.length} of ${targets.length} ${what} targets not healthy: ${bad.map((t) => `${t.Target?.Id}:${t.Target?.Port} ${t.TargetHealth?.State}${t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : ''}`).join(', ')}`,
          { expected: 'all healthy', actual },
        );
      });
    },
  },
];
