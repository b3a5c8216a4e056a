// Child process for the benchmark: the verify Lambda as it is deployed (the minified bundle, the
// AWS SDK from NODE_PATH as the runtime provides it) invoked against the loopback fakes that run
// in the parent (so their CPU is not counted here): a cold invocation, then WARM warm ones.
//   node bench/lambda-child.js BUNDLE [WARM] [PROFILE_FILE]
// Prints `RESULT {json}`: load time of the bundle, wall and CPU time of each invocation, the
// handler's outcome and summary, peak RSS. With PROFILE_FILE, the warm invocations run under the
// V8 CPU profiler (inspector) and the profile is written there (its times are not the result).
// Each invocation's CPU is also split by thread (the main thread, and the others: V8's platform
// workers compiling hot functions and marking/sweeping concurrently, libuv's pool), and its full
// garbage collections are counted.
'use strict';
const { writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { setImmediate } = require('node:timers/promises');
const { peakRssMb } = require('./peak-rss');
const { cpuBetween, gcWatch, threadCpuMs } = require('./thread-cpu');

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
  const threads = [];
  const windows = [];
  const gc = gcWatch();
  for (let i = 0; i <= warm; i++) {
    if (i === 1 && prof) await prof.start();
    // As the Lambda runtime does before each invocation: a new request id and X-Ray trace header
    // in the environment (so nothing keyed on the whole environment is reused by accident).
    const requestId = `bench-${i}-${process.pid}`;
    context.awsRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${requestId};Sampled=0`;
    const th0 = threadCpuMs();
    const p0 = performance.now();
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    result = await handler(event, context);
    cpu.push(cpuMs(process.cpuUsage(c0)));
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    windows.push([p0, performance.now()]);
    const th1 = threadCpuMs();
    threads.push(th0 && th1 ? cpuBetween(th0, th1) : null);
    rssAfter.push(Math.round(process.memoryUsage().rss / 2 ** 20));
    if (result.outcome !== 'pass' || result.summary.error > 0)
      throw new Error(
        `invocation ${i} did not pass: ${JSON.stringify(result.summary)} ${JSON.stringify(result.failing)}`,
      );
  }
  if (prof) await prof.stop(profileFile);
  // perf_hooks delivers 'gc' entries after the collection; let the last ones arrive.
  await setImmediate();
  const gcs = windows.map(([from, to]) => gc.between(from, to));
  gc.stop();
  const warmThreads = threads.slice(1);
  process.stdout.write(
    `RESULT ${JSON.stringify({
      loadMs,
      loadCpuMs,
      coldMs: wall[0],
      coldCpuMs: cpu[0],
      warmMs: wall.slice(1),
      warmCpuMs: cpu.slice(1),
      warmMainCpuMs: warmThreads.every(Boolean) ? warmThreads.map((t) => t.main) : null,
      warmHelperCpuMs: warmThreads.every(Boolean) ? warmThreads.map((t) => t.others) : null,
      warmFullGcs: gcs.slice(1).map((g) => g.full),
      warmGcPauseMs: gcs.slice(1).map((g) => g.pauseMs),
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
