/**
 * A full seed-scale day of the multi-tier simulator as one whole process, through the bundle in dist/
 * as users run it: `npm run sim -- --stack prod --scale 1 --workers 2 --shards 8` (every object of the seed
 * workload, 24 h measured after 24 h of warm-up, eight shards two at a time on worker threads, heaviest first; the
 * main thread samples the objects once and shares them (simulator/workload/sample.ts), each shard builds its own
 * objects' keys and generates their requests as it simulates them, simulator/workload/arrivals.ts).
 * - sim.fullScaleSeconds: wall time, start-up included (goal: under 10 minutes on 2 cores);
 * - sim.fullScalePeakMiB: the process's peak RSS, both workers included (goal: under 8 GiB);
 * - sim.fullScaleRequests: the requests simulated (warm-up included), what the time is spent on.
 * Long (minutes): one run, not a median.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase, Figures } from '../types';

const ROOT = join(__dirname, '..', '..');

/** The measured command's arguments after `npm run sim --`. */
export const FULL_SCALE_ARGS = ['--stack', 'prod', '--scale', '1', '--workers', '2', '--shards', '8'] as const;

export const benchCase: BenchCase = {
  name: 'sim-full-scale',
  description: 'npm run sim -- --stack prod --scale 1 --workers 2 --shards 8 as a whole process through the bundle: a full seed-scale day (wall time, peak RSS)',
  async run(): Promise<Figures> {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-dist.js')], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`scripts/build-dist.js failed: ${build.stderr}`);
    const dir = mkdtempSync(join(tmpdir(), 'media-cdn-sim-full-scale-'));
    try {
      const peakFile = join(dir, 'peak-rss');
      const json = join(dir, 'result.json');
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--require', join(ROOT, 'bench', 'peak-rss.js'), join(ROOT, 'scripts', 'launch.js'), 'sim', '--quiet', ...FULL_SCALE_ARGS, '--json', json], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, MEDIA_CDN_PEAK_RSS_FILE: peakFile }, maxBuffer: 1 << 24,
      });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      // exit 1 is a target missed, still a complete run
      if (r.status !== 0 && r.status !== 1) throw new Error(`npm run sim -- ${FULL_SCALE_ARGS.join(' ')} exited ${r.status}: ${r.stderr}`);
      const result = JSON.parse(readFileSync(json, 'utf8')) as { simulatedRequests: number };
      const peakMiB = Number(readFileSync(peakFile, 'utf8')) / 1024;
      console.error(`bench sim-full-scale: ${result.simulatedRequests.toLocaleString('en-US')} requests in ${seconds.toFixed(0)} s, peak ${peakMiB.toFixed(0)} MiB\n${r.stdout}`);
      return {
        'sim.fullScaleSeconds': { value: Math.round(seconds), unit: 's' },
        'sim.fullScalePeakMiB': { value: Math.round(peakMiB), unit: 'MiB' },
        'sim.fullScaleRequests': { value: result.simulatedRequests, unit: 'req' },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
