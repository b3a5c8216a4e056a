// Where a process's CPU goes, for the benchmark's Lambda child (bench/lambda-child.js): the CPU
// time of its main thread and of its other threads (V8's platform workers: the JIT compiler and
// concurrent marking and sweeping; libuv's pool), and its garbage collections as Node reports
// them.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

/**
 * CPU time (ms) this process's threads have run, from /proc/self/task/<tid>/schedstat (its first
 * field is the nanoseconds the thread has spent on a CPU): the main thread's, and each thread's
 * (`byTid`), of the threads alive now. Null where there is no such file (not Linux). Two readings
 * are compared with cpuBetween, thread by thread: a thread that ended in between is no longer
 * listed, and a sum of the others would lose its whole past.
 */
function threadCpuMs() {
  let main = 0;
  const byTid = new Map();
  let tids;
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  for (const tid of tids) {
    let ns;
    try {
      ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      continue; // the thread ended, or no schedstat on this kernel
    }
    byTid.set(tid, ns / 1e6);
    if (Number(tid) === process.pid) main = ns / 1e6;
  }
  return main === 0 ? null : { main, byTid };
}

/**
 * The CPU (ms) run between two readings of threadCpuMs: the main thread's and the other threads'.
 * A thread started in between counts whole; one that ended in between is left out (its CPU since
 * `before` cannot be read any more) and counted in `ended`, so the others' figure is never less
 * than what the threads alive at the end ran.
 */
function cpuBetween(before, after) {
  let others = 0;
  let ended = 0;
  for (const [tid, ms] of after.byTid) {
    if (Number(tid) === process.pid) continue;
    const was = before.byTid.get(tid);
    // A tid seen with less CPU than before is a new thread that reuses an ended one's number.
    others += was !== undefined && was <= ms ? ms - was : ms;
  }
  for (const tid of before.byTid.keys()) if (!after.byTid.has(tid)) ended++;
  return { main: after.main - before.main, others, ended };
}

/** Garbage collections as Node reports them (perf_hooks 'gc' entries: kind, main-thread pause). */
function gcWatch() {
  const entries = [];
  const obs = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  return {
    /** Full (mark-compact) collections and main-thread GC pause (ms) between two performance.now() times. */
    between(from, to) {
      entries.push(...obs.takeRecords());
      const inside = entries.filter((e) => e.startTime >= from && e.startTime < to);
      return {
        full: inside.filter((e) => (e.detail ? e.detail.kind : e.kind) === constants.NODE_PERFORMANCE_GC_MAJOR).length,
        pauseMs: inside.reduce((sum, e) => sum + e.duration, 0),
      };
    },
    stop: () => obs.disconnect(),
  };
}

module.exports = { cpuBetween, gcWatch, threadCpuMs };
