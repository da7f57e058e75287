// Loaded into a measured child process with `node --import ./bench/stats-hook.mjs`: at exit,
// writes the process's own peak resident memory, CPU time and V8 heap limit to the file named
// by WAVEGATE_BENCH_STATS. Reported from inside, so it needs no /usr/bin/time; the 'exit'
// event fires for a normal return and for process.exit(), not for a crash (no file then).
import { writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

const out = process.env.WAVEGATE_BENCH_STATS;
if (out) {
  delete process.env.WAVEGATE_BENCH_STATS;
  process.on('exit', (code) => {
    const r = process.resourceUsage();
    const h = getHeapStatistics();
    writeFileSync(
      out,
      JSON.stringify({
        exitCode: code,
        maxRssKiB: r.maxRSS,
        cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000,
        heapLimitBytes: h.heap_size_limit,
        heapUsedAtExitBytes: h.used_heap_size,
      }),
    );
  });
}
