/**
 * The webhook's token read from SSM (`ALERTMANAGER_TOKEN_PARAM`, as the Lambda has it), through
 * `stackcheck serve` and a loopback stand-in for SSM's GetParameter: a read that fails (SSM
 * throttling or unreachable for a moment) is not kept, the next request reads it again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type RunningServer } from '../../lib/cli/serve';
import { MemoryStore } from '../../lib/state/memory';
import { useEnv } from '../support/fakes/lab';
import { SlackCapture } from '../support/fakes/slack';
import { amPayload } from '../unit/alertmanager/payloads';

const TOKEN = 'token-from-ssm-8d3c';
const PARAM = '/stackcheck/alertmanager-token';

let ssm: Server;
/** Answers GetParameter with a 500 while positive (counting down), then with the token. */
let failing = 0;
const reads: string[] = [];
let slack: SlackCapture;
let serve: RunningServer;
let restoreEnv = () => {};

beforeAll(async () => {
  ssm = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      reads.push(String(req.headers['x-amz-target']));
      const type = { 'content-type': 'application/x-amz-json-1.1' };
      if (failing > 0) {
        failing--;
        res
          .writeHead(500, { ...type, 'x-amzn-errortype': 'InternalServerError' })
          .end('{"__type":"InternalServerError","message":"try again"}');
        return;
      }
      const { Name } = JSON.parse(text) as { Name: string };
      res.writeHead(200, type).end(JSON.stringify({ Parameter: { Name, Type: 'SecureString', Value: TOKEN } }));
    });
  });
  await new Promise<void>((r) => ssm.listen(0, '127.0.0.1', r));
  slack = new SlackCapture();
  await slack.start();
  restoreEnv = useEnv({
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDSTACKCHECKTEST',
    AWS_SECRET_ACCESS_KEY: 'stackcheck-test-secret-key',
    AWS_REGION: 'ap-northeast-2',
  });
  serve = await startServer({
    port: 0,
    store: new MemoryStore(),
    env: { ALERTMANAGER_TOKEN_PARAM: PARAM, SLACK_WEBHOOK_URL: slack.url },
    log: () => {},
  });
});

afterAll(async () => {
  await serve?.close();
  await slack?.stop();
  await new Promise<void>((r) => ssm.close(() => r()));
  restoreEnv();
});

const post = () =>
  fetch(`${serve.url}/alertmanager`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(amPayload()),
  });

it('a failed read of the token parameter is a 500 for that request only; the next one reads it again', async () => {
  // More failures than the SDK's attempts for one read.
  failing = 10;
  const first = await post();
  expect(first.status).toBe(500);
  expect(await first.text()).not.toContain(TOKEN);
  failing = 0;
  const second = await post();
  expect(second.status).toBe(200);
  expect(slack.posts).toHaveLength(1);
  expect(reads.every((t) => t === 'AmazonSSM.GetParameter')).toBe(true);
});
