// The peak RSS (MB) of this process's own memory. On Linux that is VmHWM of /proc/self/status:
// getrusage's ru_maxrss is not, since a spawned process starts from the RSS of the process that
// forked it (exec keeps the higher of the two), so a child of a big benchmark process would report
// the benchmark's size. Elsewhere ru_maxrss is the best there is.
'use strict';
const { readFileSync } = require('node:fs');

function peakRssMb() {
  try {
    const hwm = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

module.exports = { peakRssMb };
