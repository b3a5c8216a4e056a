/**
 * `stackcheck verify --wait` after a deploy, end to end on the loopback fakes: the CLI process
 * re-collects and re-checks until the Grafana Deployment is available, or gives up at the deadline.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { K8sObject } from '../../lib/snapshot/types';
import { labAwsState } from '../support/factories/aws';
import { labKubernetesState, makeDeployment } from '../support/factories/k8s';
import { LIVE_LAB_ARGS, startLabFakes, type LabFakes } from '../support/fakes/lab';

const ROOT = join(__dirname, '../..');
const GRAFANA = 'kube-prometheus-stack-grafana';
const ARGS = [...LIVE_LAB_ARGS];

let lab: LabFakes;

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/stackcheck.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...lab.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const deploymentLists = () => lab.kube.requests.filter((r) => r.path.endsWith('/deployments')).length;

function grafana(): K8sObject {
  return lab.kube.state.deployments.find((d) => d.metadata.name === GRAFANA)!;
}

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT },
  );
  lab = await startLabFakes();
}, 120_000);
afterAll(async () => {
  await lab.stop();
});
beforeEach(() => {
  lab.aws.state = labAwsState();
  lab.kube.state = labKubernetesState();
  lab.kube.requests.length = 0;
});

describe('stackcheck verify --wait', () => {
  it('a Deployment that becomes available after the first attempt: exit 0 after more than one attempt', async () => {
    const ready = grafana().status;
    grafana().status = makeDeployment(GRAFANA, { available: 0 }).status;
    // The rollout finishes once the first attempt has read the Deployments.
    const rollout = setInterval(() => {
      if (deploymentLists() >= 1) {
        grafana().status = ready;
        clearInterval(rollout);
      }
    }, 20);
    try {
      const r = await cli([...ARGS, '--wait', '60s']);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(
        /^wait: attempt 1: 1 still failing \(WRK004 Deployment\/monitoring\/kube-prometheus-stack-grafana\); next attempt in 2s$/m,
      );
      expect(r.err).toMatch(/^wait: attempt 2: nothing failing$/m);
      expect(deploymentLists()).toBeGreaterThanOrEqual(2);
      const doc = JSON.parse(r.out);
      expect(doc.outcome).toBe('pass');
      expect(
        doc.results.find((x: { code: string; resource: string }) => x.code === 'WRK004' && x.resource.endsWith(GRAFANA))
          .status,
      ).toBe('pass');
    } finally {
      clearInterval(rollout);
    }
  }, 60_000);

  it('one that never becomes available: exit 1 at the deadline, with the last attempt as the report', async () => {
    grafana().status = makeDeployment(GRAFANA, { available: 0 }).status;
    const r = await cli([...ARGS, '--wait', '15s']);
    expect(r.code).toBe(1);
    const attempts = r.err.match(/^wait: attempt \d+: .*$/gm) ?? [];
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts[attempts.length - 1]).toMatch(
      /^wait: attempt \d+: 1 still failing \(WRK004 Deployment\/monitoring\/kube-prometheus-stack-grafana\); deadline reached, giving up$/,
    );
    expect(deploymentLists()).toBe(attempts.length);
    const doc = JSON.parse(r.out);
    expect(doc.outcome).toBe('fail');
    expect(
      doc.results.filter((x: { status: string }) => x.status === 'fail').map((x: { code: string }) => x.code),
    ).toEqual(['WRK004', 'WRK008']); // WRK008 is a warning: it does not fail at --fail-on critical
  }, 60_000);

  it('a --wait that is not a duration is exit 2 naming the flag', async () => {
    const r = await cli([...ARGS, '--wait', 'soon']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --wait "soon" is not a duration/);
  }, 30_000);
});
