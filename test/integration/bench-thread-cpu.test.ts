/**
 * The benchmark splits a Lambda invocation's CPU by thread and counts its full garbage
 * collections (bench/thread-cpu.js). Run in a process of its own, so the only busy threads are
 * the ones the test makes: CPU spent by the main thread is counted as the main thread's, CPU spent
 * by a worker thread as the others', a thread that ends takes nothing off the others' figure, and
 * each forced full GC is counted in its own window (the scavenges beside them are not full GCs).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const MODULE = join(__dirname, '../../bench/thread-cpu.js');

const SCRIPT = `
const { Worker } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { cpuBetween, gcWatch, threadCpuMs } = require(${JSON.stringify(MODULE)});
// Spins until this thread itself has run ms of CPU (so a busy machine makes it longer, not less).
const own = () => Number(require('node:fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const spin = (ms) => { const end = own() + ms; while (own() < end); };
(async () => {
  const watch = gcWatch();
  const a = threadCpuMs();
  spin(300);
  const b = threadCpuMs();
  // The worker spins, then waits (alive: a thread that has ended is no longer in /proc) until read.
  const w = new Worker(
    "const { parentPort } = require('node:worker_threads'); " + own.toString().replace(/^/, 'const own = ') + '; ' + spin.toString().replace(/^/, 'const spin = ') + "; spin(300); parentPort.postMessage('spun'); parentPort.once('message', () => process.exit(0));",
    { eval: true },
  );
  await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  const c = threadCpuMs();
  w.postMessage('bye');
  await new Promise((resolve) => w.once('exit', resolve));
  // The worker, with its 300 ms, is gone: not in the others' figure, and not taken off it either.
  const d = threadCpuMs();
  // Every collection, to tell the full ones from the scavenges of the young garbage made here.
  const all = [];
  const { PerformanceObserver } = require('node:perf_hooks');
  const every = new PerformanceObserver((list) => all.push(...list.getEntries()));
  every.observe({ entryTypes: ['gc'] });
  const g0 = performance.now();
  let junk;
  for (let i = 0; i < 1e6; i++) junk = { i, s: String(i) };
  global.gc();
  for (let i = 0; i < 1e6; i++) junk = { i, s: String(i) };
  global.gc();
  const g1 = performance.now();
  await new Promise((resolve) => setImmediate(resolve));
  all.push(...every.takeRecords());
  every.disconnect();
  const gcs = watch.between(g0, g1);
  const after = watch.between(g1, performance.now() + 1);
  watch.stop();
  process.stdout.write(JSON.stringify({
    mainPhase: cpuBetween(a, b),
    workerPhase: cpuBetween(b, c),
    endPhase: cpuBetween(c, d),
    gcs, after,
    inWindow: all.filter((e) => e.startTime >= g0 && e.startTime < g1).length,
  }));
})();
`;

describe('bench thread CPU split (bench/thread-cpu.js)', () => {
  const onLinux = process.platform === 'linux' ? it : it.skip;

  onLinux('counts the main thread’s CPU as the main thread’s and a worker’s as the others’; counts full GCs', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', SCRIPT], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      mainPhase: { main: number; others: number };
      workerPhase: { main: number; others: number };
      endPhase: { others: number; ended: number };
      gcs: { full: number; pauseMs: number };
      after: { full: number };
      inWindow: number;
    };
    // 300 ms of CPU spun on the main thread: the main thread has it, the others next to nothing.
    expect(out.mainPhase.main).toBeGreaterThanOrEqual(280);
    expect(out.mainPhase.others).toBeLessThan(100);
    // 300 ms of CPU spun on a worker thread while the main thread waits: the others have it.
    expect(out.workerPhase.others).toBeGreaterThanOrEqual(280);
    expect(out.workerPhase.main).toBeLessThan(out.workerPhase.others / 2);
    // The worker ended: counted as ended, and the others' CPU is what the threads left ran (>= 0).
    expect(out.endPhase.ended).toBeGreaterThanOrEqual(1);
    expect(out.endPhase.others).toBeGreaterThanOrEqual(0);
    expect(out.endPhase.others).toBeLessThan(100);
    // Two forced full collections in the window, among scavenges, with their main-thread pauses;
    // none after it.
    expect(out.inWindow).toBeGreaterThan(2);
    expect(out.gcs.full).toBe(2);
    expect(out.gcs.pauseMs).toBeGreaterThan(0);
    expect(out.after.full).toBe(0);
  });
});
