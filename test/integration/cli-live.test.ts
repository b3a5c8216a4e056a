/**
 * `stackcheck verify --cluster` end to end: the CLI process, the real SDK clients and
 * @kubernetes/client-node, the loopback fakes seeded with the lab and with each drift.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../../lib/snapshot/types';
import {
  LAB_HTTP_LISTENER_ARN,
  LAB_HTTPS_LISTENER_ARN,
  LAB_RULE_GRAFANA_ARN,
  forwardAction,
  labAwsState,
  makeCertificate,
  target,
} from '../support/factories/aws';
import { LAB_CERT_ARN } from '../support/factories/expected';
import {
  LAB_TG_GRAFANA_ARN,
  LAB_TG_PROMETHEUS_ARN,
  labKubernetesState,
  makePvc,
  makeTargetGroupBinding,
  nodeName,
} from '../support/factories/k8s';
import { LIVE_LAB_ARGS, startLabFakes, type LabFakes } from '../support/fakes/lab';
import { testPki } from '../support/fakes/tls';

const ROOT = join(__dirname, '../..');
const ARGS = [...LIVE_LAB_ARGS];

let lab: LabFakes;

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = { ...process.env, ...lab.env },
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/stackcheck.js'), ...args], {
      cwd: ROOT,
      env: { ...env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function failing(out: string): string[] {
  const doc = JSON.parse(out) as { results: Array<{ code: string; status: string; resource: string }> };
  return doc.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => `${r.code} ${r.resource}`);
}

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT },
  );
  // The bundles bin/stackcheck.js loads (npm run build makes both).
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.js')], { cwd: ROOT });
  lab = await startLabFakes();
}, 120_000);
afterAll(async () => {
  expect(lab.kube.writes()).toEqual([]);
  await lab.stop();
});
beforeEach(() => {
  lab.aws.state = labAwsState();
  lab.kube.state = labKubernetesState();
});

describe('stackcheck verify --cluster (live, on loopback fakes)', () => {
  it('passes on the healthy lab (exit 0; only the external-URL warning)', async () => {
    const r = await cli(ARGS);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(failing(r.out)).toEqual(['WRK008 StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus']);
    expect(JSON.parse(r.out).cluster).toBe('myeks');
  }, 30_000);

  it('the README live example with the values piped through envsubst as in the lab (-f -, exit 0)', async () => {
    // envsubst < monitor-values.yaml | stackcheck verify --cluster myeks --values - --set … (the lab's install line)
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(
        'sh',
        [
          '-c',
          'envsubst < examples/monitor-values.yaml | "$NODE" bin/stackcheck.js verify --cluster myeks --region ap-northeast-2 ' +
            '--values - --set prometheus.prometheusSpec.scrapeInterval=15s --set prometheus.prometheusSpec.evaluationInterval=15s ' +
            '--skip prometheus,grafana,heartbeat --format json',
        ],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            ...lab.env,
            NODE: process.execPath,
            MyDomain: 'example.com',
            CERT_ARN: LAB_CERT_ARN,
            NO_COLOR: '1',
          },
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    expect(r.err).not.toMatch(/internal error|cannot read/);
    expect(r.code).toBe(0);
    expect(failing(r.out)).toEqual(['WRK008 StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus']);
    const results = JSON.parse(r.out).results as Array<{ code: string; status: string }>;
    expect(results.find((x) => x.code === 'HELM003')?.status).toBe('pass');
  }, 30_000);

  const drifts: Array<[string, () => void, string]> = [
    [
      'redirect missing',
      () => (lab.aws.state.listeners.find((l) => l.Port === 80)!.DefaultActions = [forwardAction(LAB_TG_GRAFANA_ARN)]),
      `ALB003 ${LAB_HTTP_LISTENER_ARN}`,
    ],
    [
      'hosts routed to the wrong target group',
      () => (lab.aws.state.rules[LAB_HTTPS_LISTENER_ARN][1].Actions = [forwardAction(LAB_TG_PROMETHEUS_ARN)]),
      `ALB004 ${LAB_RULE_GRAFANA_ARN}`,
    ],
    [
      'unhealthy target',
      () =>
        (lab.aws.state.targetHealth[LAB_TG_GRAFANA_ARN] = [
          target('192.168.2.61', 3000, 'unhealthy', 'Target.Timeout'),
        ]),
      `ALB008 ${LAB_TG_GRAFANA_ARN}`,
    ],
    [
      'PVC Pending',
      () =>
        (lab.kube.state.persistentVolumeClaims[1] = makePvc({
          name: 'kube-prometheus-stack-grafana',
          phase: 'Pending',
          size: '10Gi',
        })),
      'STO001 PersistentVolumeClaim/monitoring/kube-prometheus-stack-grafana',
    ],
    [
      'node-exporter not on all nodes',
      () => {
        lab.kube.state.pods = lab.kube.state.pods.filter((p) => p.spec?.nodeName !== nodeName(1));
        Object.assign(lab.kube.state.daemonSets[0].status, { desiredNumberScheduled: 2, numberReady: 2 });
      },
      'WRK003 DaemonSet/monitoring/kube-prometheus-stack-prometheus-node-exporter',
    ],
    [
      'certificate expiring',
      () =>
        (lab.aws.state.certificates[LAB_CERT_ARN] = makeCertificate({
          NotAfter: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        })),
      `CRT002 ${LAB_CERT_ARN}`,
    ],
    [
      'certificate not covering a host',
      () =>
        (lab.aws.state.certificates[LAB_CERT_ARN] = makeCertificate({
          NotAfter: new Date(Date.now() + 300 * 86_400_000).toISOString(),
          SubjectAlternativeNames: ['example.com', 'prometheus.example.com'],
        })),
      `CRT003 ${LAB_CERT_ARN}`,
    ],
    [
      'TargetGroupBinding pointing at a target group the ALB does not use',
      () =>
        (lab.kube.state.targetGroupBindings[0] = makeTargetGroupBinding(
          'k8s-monitori-kubeprom-3f1c2a9b7e',
          'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/k8s-monitori-kubeprom-0000000000/0000000000000000',
          { name: 'kube-prometheus-stack-prometheus', port: 9090 },
        )),
      'ALB006 TargetGroupBinding/monitoring/k8s-monitori-kubeprom-3f1c2a9b7e',
    ],
  ];
  it.each(drifts)(
    'reports %s on the right resource (exit 1)',
    async (_name, seed, expected) => {
      seed();
      const r = await cli(ARGS);
      expect(r.code).toBe(1);
      expect(failing(r.out)).toContain(expected);
    },
    30_000,
  );

  it('--record then --snapshot gives a byte-identical report', async () => {
    lab.aws.state.targetHealth[LAB_TG_GRAFANA_ARN] = [target('192.168.2.61', 3000, 'draining')];
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-rec-'));
    const live = await cli([...ARGS, '--record', join(dir, 'snap.json')]);
    const replay = await cli([
      'verify',
      '--snapshot',
      join(dir, 'snap.json'),
      '--domain',
      'example.com',
      '--cert-arn',
      LAB_CERT_ARN,
      '--skip',
      'prometheus,grafana,heartbeat',
      '--format',
      'json',
    ]);
    expect(replay.code).toBe(live.code);
    expect(replay.out).toBe(live.out);
    const snap = JSON.parse(readFileSync(join(dir, 'snap.json'), 'utf8')) as Snapshot;
    expect(snap.source).toBe('eks');
    // Secrets: only the decoded (and redacted) Helm release is kept, never Secret data.
    expect(JSON.stringify(snap)).not.toContain('prom-operator');
  }, 30_000);

  it('exits 3 when the API server refuses the token', async () => {
    lab.kube.credentials = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'nope' };
    try {
      const r = await cli(ARGS);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/401 Unauthorized/);
    } finally {
      lab.kube.credentials = { accessKeyId: 'AKIDSTACKCHECKTEST', secretAccessKey: 'stackcheck-test-secret-key' };
    }
  }, 30_000);

  it('exits 3 with a hint when there are no AWS credentials at all', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...lab.env };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[k];
    Object.assign(env, {
      AWS_CONFIG_FILE: join(tmpdir(), 'stackcheck-no-such-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'stackcheck-no-such-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const r = await cli(ARGS, env);
    expect(r.code).toBe(3);
    expect(r.err).toContain('DescribeCluster myeks failed');
    expect(r.err).toContain('set AWS_PROFILE');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it("takes the region from the AWS profile's config file when neither --region nor AWS_REGION is set", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...lab.env };
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete env[k];
    const config = join(mkdtempSync(join(tmpdir(), 'stackcheck-aws-config-')), 'config');
    writeFileSync(config, '[default]\nregion = ap-northeast-2\n');
    env.AWS_CONFIG_FILE = config;
    const args = [...ARGS];
    args.splice(args.indexOf('--region'), 2);
    const r = await cli(args, env);
    expect(r.err).not.toContain('no AWS region');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).cluster).toBe('myeks');
  }, 30_000);

  it('turns AccessDenied into error results and exit 1, not a crash', async () => {
    lab.aws.faults.set('DescribeTargetHealth', { kind: 'accessDenied' });
    try {
      const r = await cli(ARGS);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.out);
      expect(doc.summary.error).toBeGreaterThan(0);
      expect(doc.results.find((x: { code: string }) => x.code === 'ALB008').message).toContain('DescribeTargetHealth');
    } finally {
      lab.aws.faults.clear();
    }
  }, 30_000);
});

describe('stackcheck verify --kubeconfig (live, on loopback fakes)', () => {
  const KUBE_ARGS = ARGS.filter((a, i) => a !== '--cluster' && ARGS[i - 1] !== '--cluster');
  let kubeconfig: string;

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-kubeconfig-'));
    // An exec credential plugin as `aws eks get-token` is one: it prints an ExecCredential with a
    // real EKS token (signed with the environment's AWS credentials), which the fake API server checks.
    const getToken = join(dir, 'get-token.js');
    writeFileSync(
      getToken,
      `const { eksToken } = require(${JSON.stringify(join(ROOT, 'dist/lib/adapters/eks-auth.js'))});
eksToken({
  cluster: process.argv[process.argv.indexOf('--cluster-name') + 1],
  region: 'ap-northeast-2',
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
}).then((token) =>
  process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token } })),
);
`,
    );
    kubeconfig = join(dir, 'config');
    const ca = Buffer.from(testPki().caPem).toString('base64');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters:
  - name: arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks
    cluster:
      server: ${lab.kube.url}
      certificate-authority-data: ${ca}
contexts:
  - name: lab-exec
    context: { cluster: 'arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks', user: eks-exec }
  - name: lab-stale
    context: { cluster: 'arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks', user: stale-token }
current-context: lab-stale
users:
  - name: eks-exec
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: ${JSON.stringify(process.execPath)}
        args: [${JSON.stringify(getToken)}, eks, get-token, --cluster-name, myeks]
        interactiveMode: Never
  - name: stale-token
    user:
      token: k8s-aws-v1.bm90LWEtdG9rZW4
`,
    );
  });

  it('reads the cluster with the context exec credential plugin, the AWS part live (exit 0)', async () => {
    // As `aws eks update-kubeconfig --alias lab-exec` writes it: the cluster entry is named by its ARN,
    // which gives the EKS cluster name the load balancer's tags are checked against.
    lab.kube.requests.length = 0;
    const r = await cli([...KUBE_ARGS, '--kubeconfig', kubeconfig, '--context', 'lab-exec']);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(failing(r.out)).toEqual(['WRK008 StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus']);
    expect(JSON.parse(r.out).cluster).toBe('myeks');
    expect(lab.kube.requests.length).toBeGreaterThanOrEqual(15);
    expect(lab.kube.requests.every((q) => q.status === 200)).toBe(true);
  }, 30_000);

  it('exits 3 naming the kubeconfig context when its token is refused', async () => {
    const r = await cli([...KUBE_ARGS, '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/401 Unauthorized/);
    expect(r.err).toContain(kubeconfig);
  }, 30_000);

  it('exits 2 when the context is not in the kubeconfig, or the file is not one', async () => {
    const r = await cli([...KUBE_ARGS, '--kubeconfig', kubeconfig, '--context', 'prod']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--context prod: context prod is not in ${kubeconfig} (it has: lab-exec, lab-stale)`);
    const missing = await cli([...KUBE_ARGS, '--kubeconfig', `${kubeconfig}.missing`]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`--kubeconfig ${kubeconfig}.missing: cannot read it`);
    expect(lab.kube.writes()).toEqual([]);
  }, 30_000);
});
