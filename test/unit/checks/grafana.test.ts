import { runCode } from '../../support/run-check';
import { withProbes } from '../../support/factories/runtime';

describe('check: Grafana runtime (GRF001, GRF002)', () => {
  it('passes a healthy Grafana with a working datasource', () => {
    expect(runCode('GRF001', withProbes())[0].status).toBe('pass');
    expect(runCode('GRF002', withProbes())[0].status).toBe('pass');
  });
  it('fails an unhealthy database and a failing datasource', () => {
    const bad = (s: Parameters<Parameters<typeof runCode>[1] & object>[0]) => {
      withProbes()(s);
      s.runtime.grafana!.probes.health.body = { database: 'failing' };
      s.runtime.grafana!.probes.prometheusDatasource.body = {
        status: 'ERROR',
        message: 'Post "http://x:9090/api/v1/query": dial tcp: connection refused',
      };
    };
    expect(runCode('GRF001', bad)[0].status).toBe('fail');
    expect(runCode('GRF002', bad)[0].message).toContain('connection refused');
  });
  it('skips the datasource check without a token, saying how to give one', () => {
    const noToken = (s: Parameters<Parameters<typeof runCode>[1] & object>[0]) => {
      withProbes()(s);
      delete s.runtime.grafana!.probes.datasources;
    };
    expect(runCode('GRF002', noToken)[0]).toMatchObject({
      status: 'skip',
      message: expect.stringContaining('GRAFANA_TOKEN'),
    });
  });
});
