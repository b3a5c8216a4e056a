/**
 * The webhook's side of a test behind the real Alertmanager: a Slack capture server, the AWS fake
 * (SNS), and `stackcheck serve`'s server in this process pointed at both with a bearer token.
 */
import { startServer, type RunningServer } from '../../../lib/cli/serve';
import type { WebhookDeps } from '../../../lib/alertmanager/handler';
import type { StateStore } from '../../../lib/state/types';
import { labAwsState } from '../factories/aws';
import { FakeAws } from '../fakes/aws';
import { useEnv } from '../fakes/lab';
import { SlackCapture } from '../fakes/slack';

export const WEBHOOK_TOPIC = 'arn:aws:sns:ap-northeast-2:111122223333:stackcheck-alerts';

export interface WebhookRig {
  slack: SlackCapture;
  aws: FakeAws;
  serve: RunningServer;
  /** Stops serve and the fakes and restores the environment (stop Alertmanager first). */
  stop(): Promise<void>;
}

export async function startWebhookRig(opts: {
  token: string;
  store: StateStore;
  dedupWindowSeconds: number;
  /** The receiver's own log entries (one per notification). */
  log: NonNullable<WebhookDeps['log']>;
  /** serve's request log lines. */
  serveLog?: (line: string) => void;
}): Promise<WebhookRig> {
  const slack = new SlackCapture();
  const aws = new FakeAws(labAwsState());
  await Promise.all([slack.start(), aws.start()]);
  // The SDK's SNS client reads its endpoint, region and credentials from the process environment.
  const restoreEnv = useEnv(aws.env());
  const serve = await startServer({
    port: 0,
    store: opts.store,
    env: {
      ...aws.env(),
      ALERTMANAGER_TOKEN: opts.token,
      SLACK_WEBHOOK_URL: slack.url,
      SNS_TOPIC_ARN: WEBHOOK_TOPIC,
      STACKCHECK_CLUSTER: 'myeks',
      ALERTMANAGER_DEDUP_WINDOW_SECONDS: String(opts.dedupWindowSeconds),
    },
    deps: { log: opts.log },
    log: opts.serveLog ?? (() => {}),
  });
  return {
    slack,
    aws,
    serve,
    stop: async () => {
      await serve.close();
      await Promise.all([slack.stop(), aws.stop()]);
      restoreEnv();
    },
  };
}

/** An Alertmanager receiver that posts to `serve` with the bearer `token`. */
export function webhookReceiver(name: string, serveUrl: string, token: string): string {
  return `- name: ${name}
  webhook_configs:
  - url: ${serveUrl}/alertmanager
    send_resolved: true
    http_config:
      authorization: { type: Bearer, credentials: ${token} }
`;
}
