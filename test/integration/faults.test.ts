/**
 * The fault matrix (docs/faults.md): for each dependency and each fault, what a run does. The
 * real SDK clients, @kubernetes/client-node and fetch talk to loopback fakes that inject the
 * fault. Every run must finish before its deadline, turn the failing part into an error naming
 * the call, keep the other results, and leave no unhandled rejection.
 */
import { planFor } from '../../lib/verify/plan';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import { FAMILIES } from '../../lib/checks/types';
import { collectLive } from '../../lib/collect';
import { collectRuntime } from '../../lib/collect/runtime';
import { postToSlack } from '../../lib/adapters/slack';
import { CollectError } from '../../lib/errors';
import { notify } from '../../lib/notify';
import { buildReport } from '../../lib/report/build';
import { DynamoStore } from '../../lib/state/dynamodb';
import { MemoryStore } from '../../lib/state/memory';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { publishToSns, snsClient } from '../../lib/adapters/sns';
import type { Fault } from '../support/fakes/faults';
import { labExpected } from '../support/factories/expected';
import { labSnapshot } from '../support/factories/snapshot';
import { LAB_HINTS, startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';
import { SlackCapture } from '../support/fakes/slack';
import { freePort } from '../support/peers/binaries';

const HINTS = LAB_HINTS;
const TARGET = { mode: 'eks' as const, cluster: 'myeks', region: 'ap-northeast-2' };
const FAMS = FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f));
const FAULTS: Array<[string, Fault]> = [
  ['throttling that clears', { kind: 'throttle', times: 1 }],
  ['throttling that persists', { kind: 'throttle' }],
  ['5xx', { kind: 'error500' }],
  ['timeout/hang', { kind: 'hang' }],
  ['malformed body', { kind: 'malformed' }],
  ['AccessDenied/403', { kind: 'accessDenied' }],
  ['rejected credentials/401', { kind: 'unauthorized' }],
];

let lab: LabFakes;
let restore: () => void;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  lab = await startLabFakes();
  restore = useEnv(lab.env);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  restore();
  await lab.stop();
  expect(unhandled).toEqual([]);
  expect(lab.kube.writes()).toEqual([]);
});
afterEach(() => {
  lab.aws.faults.clear();
  lab.kube.faults.clear();
});

async function run(deadlineMs = 8_000) {
  const t0 = Date.now();
  const s = await collectLive(TARGET, HINTS, {
    inputs: planFor(FAMS).inputs,
    callTimeoutMs: 700,
    deadline: Date.now() + deadlineMs,
  });
  expect(Date.now() - t0).toBeLessThan(deadlineMs + 1_000);
  return { s, results: runChecks(allChecks, labExpected(), s) };
}

describe.each([
  ['ELBv2', 'DescribeTargetHealth', 'ALB008', 'elasticloadbalancing:DescribeTargetHealth'],
  ['ACM', 'DescribeCertificate', 'CRT001', 'acm:DescribeCertificate'],
])('fault matrix: %s', (_dep, call, code, permission) => {
  it.each(FAULTS)(
    '%s',
    async (name, fault) => {
      lab.aws.faults.set(call, fault);
      const { s, results } = await run();
      const mine = results.filter((r) => r.code === code);
      if (name === 'throttling that clears') {
        expect(s.errors).toEqual([]);
        expect(mine.every((r) => r.status === 'pass')).toBe(true);
      } else {
        expect(s.errors.length).toBeGreaterThan(0);
        expect(s.errors.every((e) => e.call === call)).toBe(true);
        expect(mine.every((r) => r.status === 'error')).toBe(true);
        if (name === 'AccessDenied/403') expect(mine[0].remediation).toContain(permission);
      }
      // Other results stand.
      expect(results.find((r) => r.code === 'WRK002')?.status).toBe('pass');
    },
    20_000,
  );
});

describe('fault matrix: EKS API (DescribeCluster)', () => {
  it.each(FAULTS)(
    '%s',
    async (name, fault) => {
      lab.aws.faults.set('DescribeCluster', fault);
      if (name === 'throttling that clears') {
        const { s } = await run();
        expect(s.errors).toEqual([]);
      } else {
        // Without the cluster endpoint nothing in Kubernetes can be read: exit 3 (CollectError).
        await expect(run()).rejects.toThrow(CollectError);
      }
    },
    20_000,
  );
});

describe('fault matrix: Kubernetes API (list deployments)', () => {
  it.each(FAULTS.filter(([n]) => n !== 'rejected credentials/401'))(
    '%s',
    async (name, fault) => {
      lab.kube.faults.set('list deployments', fault);
      const { s, results } = await run();
      const wrk = results.filter((r) => r.code === 'WRK004');
      if (name === 'throttling that clears') {
        expect(s.errors).toEqual([]);
        expect(wrk.every((r) => r.status === 'pass')).toBe(true);
      } else {
        expect(s.errors.map((e) => e.call)).toEqual(['list deployments (monitoring)']);
        expect(wrk.map((r) => r.status)).toEqual(['error']);
      }
      expect(results.find((r) => r.code === 'ALB003')?.status).toBe('pass');
    },
    20_000,
  );

  it('rejected token (401 everywhere) is exit 3; 401 on one call is an error result', async () => {
    lab.kube.faults.set('*', { kind: 'unauthorized' });
    await expect(run()).rejects.toThrow(CollectError);
    lab.kube.faults.clear();
    lab.kube.faults.set('list nodes', { kind: 'unauthorized' });
    const { s } = await run();
    expect(s.errors).toEqual([expect.objectContaining({ call: 'list nodes', code: '401' })]);
  }, 20_000);

  it('connection refused to the API server: every Kubernetes call is an error, the AWS results stand', async () => {
    const port = await freePort();
    const saved = lab.aws.clusters.get('myeks')!;
    lab.aws.clusters.set('myeks', { ...saved, endpoint: `https://127.0.0.1:${port}` });
    try {
      const { s, results } = await run();
      expect(s.errors.length).toBe(s.collected.filter((k) => k.startsWith('k8s.')).length);
      expect(
        s.errors.every((e) => e.source === 'kubernetes' && /ECONNREFUSED|refused/i.test(`${e.code} ${e.message}`)),
      ).toBe(true);
      expect(results.find((r) => r.code === 'CRT001')?.status).toBe('pass');
      expect(results.find((r) => r.code === 'WRK002')?.status).toBe('error');
    } finally {
      lab.aws.clusters.set('myeks', saved);
    }
  }, 20_000);
});

describe('fault matrix: AWS connection refused', () => {
  it('ELBv2 and ACM unreachable: errors naming the calls, Kubernetes results stand', async () => {
    const port = await freePort();
    const undo = useEnv({
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: `http://127.0.0.1:${port}`,
      AWS_ENDPOINT_URL_ACM: `http://127.0.0.1:${port}`,
    });
    try {
      const { s, results } = await run();
      expect(new Set(s.errors.map((e) => e.call))).toEqual(new Set(['DescribeLoadBalancers', 'DescribeCertificate']));
      expect(results.find((r) => r.code === 'ALB001')?.status).toBe('error');
      expect(results.find((r) => r.code === 'STO001')?.status).toBe('pass');
    } finally {
      undo();
    }
  }, 20_000);
});

/** A tiny HTTP server answering with a scripted fault (Prometheus, Grafana, Slack stand-ins). */
async function faultyServer(kind: string): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    if (kind === 'hang') return;
    if (kind === '5xx') return void res.writeHead(503).end('unavailable');
    if (kind === '429-once' && hits === 1) return void res.writeHead(429, { 'retry-after': '0' }).end('rate_limited');
    if (kind === '429') return void res.writeHead(429, { 'retry-after': '0' }).end('rate_limited');
    if (kind === '403') return void res.writeHead(403).end('invalid_token');
    if (kind === '401') return void res.writeHead(401).end('Unauthorized');
    if (kind === 'malformed')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"succ');
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits };
}

describe('fault matrix: Prometheus and Grafana (runtime probes)', () => {
  it.each(['5xx', 'hang', 'malformed', '401', 'refused'])(
    '%s: one error result naming the URL, no pass, no crash',
    async (kind) => {
      const srv = kind === 'refused' ? undefined : await faultyServer(kind);
      const url = srv?.url ?? `http://127.0.0.1:${await freePort()}`;
      try {
        const { runtime } = await collectRuntime({
          prometheusUrl: url,
          grafanaUrl: url,
          prometheus: true,
          grafana: true,
          timeoutMs: 500,
        });
        const s = labSnapshot();
        s.runtime = runtime;
        s.collected.push('runtime.prometheus', 'runtime.grafana');
        const results = runChecks(allChecks, labExpected(), s, { checks: ['prometheus', 'grafana'] });
        const grf1 = results.find((r) => r.code === 'GRF001')!;
        expect(['error', 'fail']).toContain(grf1.status);
        if (kind === 'malformed') {
          // /-/ready answered 200 (it is plain text); every API answer is unreadable: errors, not passes.
          expect(results.filter((r) => r.status === 'pass').map((r) => r.code)).toEqual(['PRM001']);
          expect(results.find((r) => r.code === 'PRM002')).toMatchObject({
            status: 'error',
            message: expect.stringContaining('not JSON'),
          });
        } else {
          expect(results.filter((r) => r.status === 'pass')).toEqual([]);
          const prm1 = results.find((r) => r.code === 'PRM001')!;
          expect(['error', 'fail']).toContain(prm1.status);
          expect(prm1.message).toContain(url);
        }
      } finally {
        srv?.server.closeAllConnections();
        srv?.server.close();
      }
    },
    20_000,
  );
});

describe('fault matrix: Slack', () => {
  it.each([
    ['throttling that clears (429 + Retry-After)', '429-once', true],
    ['throttling that persists', '429', false],
    ['5xx', '5xx', false],
    ['timeout/hang', 'hang', false],
    ['rejected token (403)', '403', false],
    ['connection refused', 'refused', false],
  ])(
    '%s',
    async (_name, kind, ok) => {
      const srv = kind === 'refused' ? undefined : await faultyServer(kind);
      const url = srv?.url ?? `http://127.0.0.1:${await freePort()}`;
      try {
        const p = postToSlack(
          `${url}/services/T/B/SECRET`,
          { text: 'x' },
          { timeoutMs: 300, maxWaitMs: 1_000, sleep: async () => {} },
        );
        if (ok) await expect(p).resolves.toBeUndefined();
        else {
          const err = await p.catch((e: Error) => e);
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message).not.toContain('SECRET');
        }
        if (kind === '403') expect(srv!.hits()).toBe(1); // 4xx is not retried
      } finally {
        srv?.server.closeAllConnections();
        srv?.server.close();
      }
    },
    20_000,
  );

  it('waits as long as Retry-After says (seconds), then delivers once', async () => {
    let hits = 0;
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      hits += 1;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (hits === 1) return void res.writeHead(429, { 'retry-after': '2' }).end('rate_limited');
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const waits: number[] = [];
      await postToSlack(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T/B/SECRET`,
        { text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y' } }] },
        { sleep: async (ms) => void waits.push(ms) },
      );
      expect(waits).toEqual([2_000]);
      expect(hits).toBe(2);
      expect(JSON.parse(bodies[0])).toEqual({
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y' } }],
      });
    } finally {
      server.close();
    }
  });
});

describe('fault matrix: SNS and DynamoDB in notifications', () => {
  const report = () => {
    const s = labSnapshot();
    s.aws.listeners[0].DefaultActions = [];
    return buildReport({
      cluster: 'myeks',
      startedAt: new Date(),
      finishedAt: new Date(),
      results: runChecks(allChecks, labExpected(), s),
    });
  };
  it.each(FAULTS.filter(([n]) => n !== 'malformed body'))(
    'SNS %s: the state advances only when delivered',
    async (name, fault) => {
      lab.aws.faults.set('Publish', fault);
      const store = new MemoryStore();
      const client = snsClient();
      const sns = (m: Parameters<typeof publishToSns>[1] extends infer T ? Omit<T & object, 'topicArn'> : never) =>
        Promise.race([
          publishToSns(client, {
            topicArn: 'arn:aws:sns:ap-northeast-2:111122223333:t',
            ...(m as object),
          } as Parameters<typeof publishToSns>[1]),
          new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 1_500)),
        ]);
      const out = await notify(report(), 'on-change', { store, sns: sns as never });
      if (name === 'throttling that clears') {
        expect(out.sent).toBe(true);
        expect(await store.get('results#myeks')).toBeDefined();
      } else {
        expect(out).toMatchObject({ sent: false, destinations: { sns: 'failed' } });
        expect(await store.get('results#myeks')).toBeUndefined();
      }
      client.destroy();
    },
    20_000,
  );

  it('DynamoDB unreachable: the notification reports it; nothing is marked sent', async () => {
    const port = await freePort();
    const store = new DynamoStore(
      'stackcheck-state',
      new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1, region: 'ap-northeast-2' }),
    );
    const slack = new SlackCapture();
    await slack.start();
    try {
      await expect(notify(report(), 'on-change', { store, slack: (m) => postToSlack(slack.url, m) })).rejects.toThrow();
      expect(slack.posts).toEqual([]);
    } finally {
      await slack.stop();
    }
  }, 20_000);
});

describe('fault matrix: deadline', () => {
  it('a run whose calls all hang still finishes by its deadline with errors, not a crash', async () => {
    lab.aws.faults.set('*', { kind: 'hang' });
    lab.kube.faults.set('*', { kind: 'hang' });
    lab.aws.faults.set('DescribeCluster', { kind: 'throttle', times: 0 });
    const t0 = Date.now();
    const { s } = await run(3_000);
    expect(Date.now() - t0).toBeLessThan(4_500);
    expect(s.errors.length).toBeGreaterThan(10);
  }, 20_000);
});
