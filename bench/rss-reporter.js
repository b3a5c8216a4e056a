// Preloaded into a measured process: reports its peak RSS (MB) on stderr at exit.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAXRSS_MB=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
});
