/**
 * The load generator of the webhook benchmark, in a process of its own (as Alertmanager is): the
 * server under test has the bench process to itself, and the load generator's own work (building
 * and sending requests, parsing answers) is not on the server's event loop.
 *   node scripts/run-ts.js bench/load-child.ts URL PREFIX
 * autocannon with 10 connections posts Alertmanager payloads of 5 alerts, each with a group key of
 * its own (PREFIX and a counter: nothing for the server to deduplicate), for a second of warm-up,
 * then prints `MEASURE`, runs 4 s more and prints `RESULT {json}` (requests/s, total, p99, non-2xx).
 */
import autocannon from 'autocannon';
import { amPayload } from '../test/unit/alertmanager/payloads';

const [url, prefix = 'r'] = process.argv.slice(2);
let seq = 0;

function cannon(duration: number) {
  return autocannon({
    url,
    method: 'POST',
    connections: 10,
    duration,
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          body: JSON.stringify(
            amPayload(
              { groupKey: `{}:{r="${prefix}-${seq++}"}` },
              Array.from({ length: 5 }, () => ({})),
            ),
          ),
        }),
      },
    ],
  });
}

async function main() {
  if (!url) throw new Error('usage: load-child.ts URL [PREFIX]');
  await cannon(1);
  process.stdout.write('MEASURE\n');
  const r = await cannon(4);
  process.stdout.write(
    `RESULT ${JSON.stringify({ average: r.requests.average, total: r.requests.total, p99: r.latency.p99, non2xx: r.non2xx })}\n`,
  );
}
main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(String(err?.stack ?? err));
    process.exit(1);
  },
);
