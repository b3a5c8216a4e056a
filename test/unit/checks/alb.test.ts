import { hostMatches, ruleMatches } from '../../../lib/alb/rules';
import {
  LAB_HTTP_LISTENER_ARN,
  LAB_HTTPS_LISTENER_ARN,
  LAB_LB_ARN,
  LAB_RULE_GRAFANA_ARN,
  LAB_RULE_PROMETHEUS_ARN,
  forwardAction,
  hostRule,
  redirectAction,
  ruleArn,
  target,
  weightedForward,
} from '../../support/factories/aws';
import { LAB_CERT_ARN } from '../../support/factories/expected';
import { LAB_TG_GRAFANA_ARN, LAB_TG_PROMETHEUS_ARN, makeTargetGroupBinding } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

const rulesOf = (s: { aws: { rules: Record<string, unknown[]> } }) =>
  s.aws.rules[LAB_HTTPS_LISTENER_ARN] as ReturnType<typeof hostRule>[];

describe('check: load balancer found (ALB001)', () => {
  it('finds the ALB of group study by tag and passes when active', () => {
    expect(runCode('ALB001')[0]).toMatchObject({ status: 'pass', resource: LAB_LB_ARN });
  });
  it('fails when it is provisioning or failed', () => {
    const [r] = runCode(
      'ALB001',
      (s) => (s.aws.loadBalancers[0].State = { Code: 'failed', Reason: 'subnet exhausted' }),
    );
    expect(r).toMatchObject({ status: 'fail', resource: LAB_LB_ARN });
    expect(r.message).toContain('subnet exhausted');
  });
  it('fails naming the expected load balancer when none is found', () => {
    const [r] = runCode('ALB001', (s) => {
      s.aws.loadBalancers = [];
    });
    expect(r).toMatchObject({
      status: 'fail',
      resource: 'arn:aws:elasticloadbalancing:::loadbalancer/app/myeks-ingress-alb',
    });
  });
});

describe('check: HTTPS certificate (ALB002)', () => {
  it('passes when the listener has the expected certificate', () => {
    expect(runCode('ALB002')[0]).toMatchObject({ status: 'pass', resource: LAB_HTTPS_LISTENER_ARN });
  });
  it('fails with another certificate', () => {
    const [r] = runCode(
      'ALB002',
      (s) =>
        (s.aws.listeners[1].Certificates = [
          { CertificateArn: 'arn:aws:acm:ap-northeast-2:111122223333:certificate/old' },
        ]),
    );
    expect(r).toMatchObject({ status: 'fail', expected: LAB_CERT_ARN });
  });
  it('accepts the expected certificate as an additional one', () => {
    const [r] = runCode(
      'ALB002',
      (s) =>
        (s.aws.listeners[1].Certificates = [
          { CertificateArn: 'arn:other', IsDefault: true },
          { CertificateArn: LAB_CERT_ARN },
        ]),
    );
    expect(r.status).toBe('pass');
  });
});

describe('check: HTTP redirect (ALB003)', () => {
  it('passes the lab redirect with #{host}/#{path}/#{query}', () => {
    expect(runCode('ALB003')[0]).toMatchObject({ status: 'pass', resource: LAB_HTTP_LISTENER_ARN });
  });
  it('fails when port 80 forwards instead of redirecting', () => {
    const [r] = runCode('ALB003', (s) => (s.aws.listeners[0].DefaultActions = [forwardAction(LAB_TG_GRAFANA_ARN)]));
    expect(r).toMatchObject({ status: 'fail', resource: LAB_HTTP_LISTENER_ARN, actual: { Type: 'forward' } });
  });
  it('fails a redirect that keeps the port with #{port}', () => {
    const [r] = runCode('ALB003', (s) => (s.aws.listeners[0].DefaultActions = [redirectAction({ Port: '#{port}' })]));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('port #{port} (keeps the request port)');
  });
  it('fails a redirect to #{protocol} or with 302', () => {
    const [r] = runCode(
      'ALB003',
      (s) =>
        (s.aws.listeners[0].DefaultActions = [redirectAction({ Protocol: '#{protocol}', StatusCode: 'HTTP_302' })]),
    );
    expect(r.message).toMatch(/protocol #\{protocol\}.*status HTTP_302/);
  });
  it('names the load balancer when the HTTP listener is missing', () => {
    const [r] = runCode('ALB003', (s) => (s.aws.listeners = s.aws.listeners.filter((l) => l.Port !== 80)));
    expect(r).toMatchObject({ status: 'fail', resource: LAB_LB_ARN });
  });
});

describe('check: host routing (ALB004)', () => {
  it('passes both hosts to their target groups, told apart by tag', () => {
    expect(runCode('ALB004').map((r) => `${r.status} ${r.resource}`)).toEqual([
      `pass ${LAB_RULE_PROMETHEUS_ARN}`,
      `pass ${LAB_RULE_GRAFANA_ARN}`,
    ]);
  });
  it('fails when grafana is routed to the Prometheus target group', () => {
    const rs = runCode('ALB004', (s) => (rulesOf(s)[1].Actions = [forwardAction(LAB_TG_PROMETHEUS_ARN)]));
    expect(failing(rs)).toEqual([
      expect.objectContaining({
        resource: LAB_RULE_GRAFANA_ARN,
        expected: { host: 'grafana.example.com', targetGroup: LAB_TG_GRAFANA_ARN },
      }),
    ]);
  });
  it('accepts a weighted ForwardConfig with weight on the right group only (legacy TargetGroupArn absent)', () => {
    const rs = runCode(
      'ALB004',
      (s) =>
        (rulesOf(s)[0].Actions = [
          weightedForward([
            [LAB_TG_PROMETHEUS_ARN, 100],
            [LAB_TG_GRAFANA_ARN, 0],
          ]),
        ]),
    );
    expect(rs.map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails a weighted ForwardConfig that sends part of the traffic elsewhere', () => {
    const rs = runCode(
      'ALB004',
      (s) =>
        (rulesOf(s)[0].Actions = [
          weightedForward([
            [LAB_TG_PROMETHEUS_ARN, 90],
            [LAB_TG_GRAFANA_ARN, 10],
          ]),
        ]),
    );
    expect(failing(rs)[0].message).toContain('(weight 10)');
  });
  it('reads legacy conditions (Values without HostHeaderConfig)', () => {
    const rs = runCode(
      'ALB004',
      (s) =>
        (rulesOf(s)[0] = hostRule(
          LAB_RULE_PROMETHEUS_ARN,
          '1',
          'prometheus.example.com',
          forwardAction(LAB_TG_PROMETHEUS_ARN, 'legacy'),
          true,
        )),
    );
    expect(rs.map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails when no rule matches a host, naming the HTTPS listener', () => {
    const rs = runCode('ALB004', (s) => (s.aws.rules[LAB_HTTPS_LISTENER_ARN] = [rulesOf(s)[0]]));
    expect(failing(rs)).toEqual([expect.objectContaining({ resource: LAB_HTTPS_LISTENER_ARN })]);
  });
});

describe('check: shadowing rules (ALB005)', () => {
  it('passes when nothing matches earlier', () => {
    expect(runCode('ALB005').map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails when another ingress of the group adds a wildcard rule with a lower priority', () => {
    const shadow = ruleArn(LAB_HTTPS_LISTENER_ARN, 'aaaaaaaaaaaaaaaa');
    const rs = runCode('ALB005', (s) => {
      rulesOf(s).forEach((r, i) => (r.Priority = String(i + 2)));
      rulesOf(s).unshift(
        hostRule(
          shadow,
          '1',
          '*.example.com',
          forwardAction('arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/k8s-other/1'),
        ),
      );
    });
    expect(failing(rs).map((r) => r.resource)).toEqual([shadow, shadow]);
    // …and the host is then served by the wrong target group.
  });
});

describe('check: TargetGroupBindings (ALB006)', () => {
  it('passes when each binding targets the group its host rule forwards to', () => {
    expect(runCode('ALB006').map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails a binding that points at a target group the ALB does not use', () => {
    const stale =
      'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/k8s-monitori-kubeprom-0000000000/0000000000000000';
    const rs = runCode('ALB006', (s) => {
      s.kubernetes.targetGroupBindings[1] = makeTargetGroupBinding('k8s-monitori-kubeprom-9a8b7c6d5e', stale, {
        name: 'kube-prometheus-stack-grafana',
        port: 80,
      });
    });
    expect(failing(rs)).toEqual([
      expect.objectContaining({
        resource: 'TargetGroupBinding/monitoring/k8s-monitori-kubeprom-9a8b7c6d5e',
        actual: stale,
      }),
    ]);
    expect(failing(rs)[0].message).toContain('does not forward to');
  });
  it('fails when a service has no binding', () => {
    const rs = runCode('ALB006', (s) => (s.kubernetes.targetGroupBindings = [s.kubernetes.targetGroupBindings[0]]));
    expect(failing(rs)[0].message).toContain('no TargetGroupBinding binds service kube-prometheus-stack-grafana');
  });
});

describe('check: target groups (ALB007) and target health (ALB008)', () => {
  it('passes ip targets on 9090 and 3000, all healthy', () => {
    expect(runCode('ALB007').map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(runCode('ALB008').map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails an unhealthy target naming it and the reason', () => {
    const rs = runCode(
      'ALB008',
      (s) => (s.aws.targetHealth[LAB_TG_GRAFANA_ARN] = [target('192.168.2.61', 3000, 'unhealthy', 'Target.Timeout')]),
    );
    expect(failing(rs)).toEqual([expect.objectContaining({ resource: LAB_TG_GRAFANA_ARN })]);
    expect(failing(rs)[0].message).toContain('192.168.2.61:3000 unhealthy (Target.Timeout)');
  });
  it('fails an empty target group', () => {
    const rs = runCode('ALB008', (s) => (s.aws.targetHealth[LAB_TG_PROMETHEUS_ARN] = []));
    expect(failing(rs)[0].message).toContain('no registered targets');
  });
  it('fails instance targets when ip is expected', () => {
    const rs = runCode('ALB007', (s) => (s.aws.targetGroups[0].TargetType = 'instance'));
    expect(failing(rs)[0]).toMatchObject({ resource: LAB_TG_PROMETHEUS_ARN, severity: 'warning' });
  });
});

describe('ALB matching rules', () => {
  it('matches hosts case-insensitively with * and ? wildcards', () => {
    expect(hostMatches('*.example.com', 'Grafana.Example.com')).toBe(true);
    expect(hostMatches('grafan?.example.com', 'grafana.example.com')).toBe(true);
    expect(hostMatches('prometheus.example.com', 'grafana.example.com')).toBe(false);
  });
  it('requires every condition of a rule to match', () => {
    const r = hostRule('arn', '1', 'grafana.example.com', forwardAction('x'));
    expect(ruleMatches(r, 'grafana.example.com', '/')).toBe(true);
    r.Conditions![1] = { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } };
    expect(ruleMatches(r, 'grafana.example.com', '/')).toBe(false);
  });
});
