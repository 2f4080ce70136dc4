// Preloaded into a measured child process (node --require bench/peak-rss.js …): at exit, writes the
// process's peak resident set size (KiB) to the file named by MEDIA_CDN_PEAK_RSS_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.MEDIA_CDN_PEAK_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
