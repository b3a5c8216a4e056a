// Child process for the scale benchmark: the verify Lambda as it is deployed (the minified bundle,
// the AWS SDK from NODE_PATH as the runtime provides it) invoked against the loopback fakes: a cold
// invocation, then 5 warm ones. Prints wall and CPU times (warm medians), the handler's summary and
// peak RSS.
'use strict';

async function main() {
  const bundle = process.argv[2];
  const { handler } = require(bundle);
  const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 60_000 };
  const event = { cluster: 'myeks', notify: 'never' };
  const times = [];
  const cpu = [];
  let result;
  for (let i = 0; i < 6; i++) {
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    result = await handler(event, context);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    times.push(Date.now() - t0);
  }
  process.stdout.write(
    `RESULT ${JSON.stringify({
      coldMs: times[0],
      warmMs: times.slice(1).sort((a, b) => a - b)[2],
      warmRunsMs: times.slice(1),
      warmCpuMs: cpu.slice(1).sort((a, b) => a - b)[2],
      outcome: result.outcome,
      summary: result.summary,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}
main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err));
    process.exit(1);
  },
);
