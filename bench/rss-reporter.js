// Preloaded into a measured process: reports its peak RSS (MB) on stderr at exit (bench/peak-rss.js).
const { peakRssMb } = require('./peak-rss');

process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAXRSS_MB=${peakRssMb().toFixed(1)}\n`);
});
