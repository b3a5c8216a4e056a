/**
 * What the webhook counts (deliveries, suppressed duplicates, heartbeats), and the Prometheus text
 * exposition of it for `stackcheck serve`'s `GET /metrics`. The Lambda reports the same events
 * through Powertools Metrics (functions/alertmanager-webhook.ts).
 */

/** Events of the handler; every method is optional to implement. */
export interface WebhookMetrics {
  /** One destination of one notification: sent, duplicate (a retry within the window), busy or failed. */
  delivery(destination: string, result: string): void;
  /** A firing Watchdog recorded for a cluster. */
  heartbeat(cluster: string, at: Date): void;
}

function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Counters in memory, rendered in the text exposition format (version 0.0.4). */
export class PrometheusWebhookMetrics implements WebhookMetrics {
  private readonly requests = new Map<string, number>();
  private readonly deliveries = new Map<string, { destination: string; result: string; n: number }>();
  private duplicates = 0;
  private readonly heartbeats = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  request(code: number): void {
    const k = String(code);
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
  }

  delivery(destination: string, result: string): void {
    const k = `${destination}\0${result}`;
    const cur = this.deliveries.get(k) ?? { destination, result, n: 0 };
    cur.n++;
    this.deliveries.set(k, cur);
    if (result === 'duplicate') this.duplicates++;
  }

  heartbeat(cluster: string, at: Date): void {
    const t = at.getTime();
    if (t > (this.heartbeats.get(cluster) ?? -Infinity)) this.heartbeats.set(cluster, t);
  }

  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string, samples: Array<[Record<string, string>, number]>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [l, v] of samples) out.push(`${name}${labels(l)} ${v}`);
    };
    family(
      'stackcheck_webhook_requests_total',
      'counter',
      'HTTP requests answered by stackcheck serve, by status code.',
      [...this.requests].sort().map(([code, n]) => [{ code }, n]),
    );
    family(
      'stackcheck_webhook_deliveries_total',
      'counter',
      'Notification deliveries by destination and result (sent, duplicate, busy, failed).',
      [...this.deliveries.values()]
        .sort((a, b) => `${a.destination}${a.result}`.localeCompare(`${b.destination}${b.result}`))
        .map((d) => [{ destination: d.destination, result: d.result }, d.n]),
    );
    family(
      'stackcheck_webhook_duplicates_suppressed_total',
      'counter',
      'Deliveries not repeated because Alertmanager retried a notification already delivered within the window.',
      [[{}, this.duplicates]],
    );
    const now = this.now();
    family(
      'stackcheck_webhook_heartbeat_age_seconds',
      'gauge',
      'Seconds since the last firing Watchdog notification, by cluster.',
      [...this.heartbeats].sort().map(([cluster, t]) => [{ cluster }, Math.max(0, (now - t) / 1000)]),
    );
    return `${out.join('\n')}\n`;
  }
}
