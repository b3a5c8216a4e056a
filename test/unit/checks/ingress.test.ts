import { albAnnotations, makeIngress } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

const PROM = 'Ingress/monitoring/kube-prometheus-stack-prometheus';
const GRAFANA = 'Ingress/monitoring/kube-prometheus-stack-grafana';

describe('check: ingress routing (ING001)', () => {
  it('passes both lab ingresses (grafana with path / Prefix as its subchart renders it)', () => {
    expect(runCode('ING001').map((r) => `${r.status} ${r.resource}`)).toEqual([`pass ${PROM}`, `pass ${GRAFANA}`]);
  });
  it('fails a wrong host', () => {
    const rs = runCode(
      'ING001',
      (s) =>
        (s.kubernetes.ingresses[1] = makeIngress('kube-prometheus-stack-grafana', 'grafana.other.org', '/', 'Prefix', {
          name: 'kube-prometheus-stack-grafana',
          port: 80,
        })),
    );
    expect(failing(rs)[0]).toMatchObject({ resource: GRAFANA });
    expect(failing(rs)[0].message).toContain('host grafana.example.com missing');
  });
  it('fails a missing ingress', () => {
    expect(failing(runCode('ING001', (s) => (s.kubernetes.ingresses = [s.kubernetes.ingresses[1]])))[0]).toMatchObject({
      resource: PROM,
      actual: null,
    });
  });
});

describe('check: ALB annotations (ING002)', () => {
  it('passes the lab annotations (listen-ports compared as JSON)', () => {
    const rs = runCode('ING002', (s) => {
      s.kubernetes.ingresses[0].metadata.annotations!['alb.ingress.kubernetes.io/listen-ports'] =
        '[{"HTTPS":443},{"HTTP":80}]';
    });
    expect(rs.map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails when ssl-redirect was removed and the certificate differs', () => {
    const rs = runCode('ING002', (s) => {
      const a = albAnnotations('arn:aws:acm:ap-northeast-2:111122223333:certificate/other');
      delete a['alb.ingress.kubernetes.io/ssl-redirect'];
      s.kubernetes.ingresses[0].metadata.annotations = a;
    });
    const [r] = failing(rs);
    expect(r.resource).toBe(PROM);
    expect(Object.keys(r.actual as object).sort()).toEqual([
      'alb.ingress.kubernetes.io/certificate-arn',
      'alb.ingress.kubernetes.io/ssl-redirect',
    ]);
  });
});

describe('check: provisioned load balancer (ING003)', () => {
  it('passes with a status hostname', () => {
    expect(runCode('ING003').every((r) => r.status === 'pass')).toBe(true);
  });
  it('fails when the controller did not reconcile the ingress', () => {
    const rs = runCode('ING003', (s) => (s.kubernetes.ingresses[0].status = { loadBalancer: {} }));
    expect(failing(rs).map((r) => r.resource)).toEqual([PROM]);
  });
});
