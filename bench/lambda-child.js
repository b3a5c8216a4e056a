// Child process for the benchmark: the verify Lambda as it is deployed (the minified bundle, the
// AWS SDK from NODE_PATH as the runtime provides it) invoked against the loopback fakes that run
// in the parent (so their CPU is not counted here): a cold invocation, then WARM warm ones.
//   node bench/lambda-child.js BUNDLE [WARM] [PROFILE_FILE]
// Prints `RESULT {json}`: load time of the bundle, wall and CPU time of each invocation, the
// handler's outcome and summary, peak RSS. With PROFILE_FILE, the warm invocations run under the
// V8 CPU profiler (inspector) and the profile is written there (its times are not the result).
'use strict';
const { writeFileSync } = require('node:fs');
const { peakRssMb } = require('./peak-rss');

const cpuMs = (c) => (c.user + c.system) / 1000;

function profiler() {
  const { Session } = require('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  return {
    start: async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
    },
    stop: async (file) => writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile)),
  };
}

async function main() {
  const [bundle, warmArg, profileFile] = process.argv.slice(2);
  const warm = Number(warmArg ?? 5);
  const l0 = process.hrtime.bigint();
  const lc = process.cpuUsage();
  const { handler } = require(bundle);
  const loadMs = Number(process.hrtime.bigint() - l0) / 1e6;
  const loadCpuMs = cpuMs(process.cpuUsage(lc));
  const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 120_000 };
  const event = { cluster: 'myeks', notify: 'never' };
  const wall = [];
  const cpu = [];
  let result;
  const prof = profileFile ? profiler() : undefined;
  const rssAfter = [];
  for (let i = 0; i <= warm; i++) {
    if (i === 1 && prof) await prof.start();
    // As the Lambda runtime does before each invocation: a new request id and X-Ray trace header
    // in the environment (so nothing keyed on the whole environment is reused by accident).
    const requestId = `bench-${i}-${process.pid}`;
    context.awsRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${requestId};Sampled=0`;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    result = await handler(event, context);
    cpu.push(cpuMs(process.cpuUsage(c0)));
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rssAfter.push(Math.round(process.memoryUsage().rss / 2 ** 20));
    if (result.outcome !== 'pass' || result.summary.error > 0)
      throw new Error(
        `invocation ${i} did not pass: ${JSON.stringify(result.summary)} ${JSON.stringify(result.failing)}`,
      );
  }
  if (prof) await prof.stop(profileFile);
  process.stdout.write(
    `RESULT ${JSON.stringify({
      loadMs,
      loadCpuMs,
      coldMs: wall[0],
      coldCpuMs: cpu[0],
      warmMs: wall.slice(1),
      warmCpuMs: cpu.slice(1),
      outcome: result.outcome,
      summary: result.summary,
      failing: result.failing.map((f) => f.code),
      maxRssMb: peakRssMb(),
      rssAfterMb: rssAfter,
      memoryMb: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
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
