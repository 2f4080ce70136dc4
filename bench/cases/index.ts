/** Every benchmark case, in the order `npm run bench` runs them (bench/run.ts checks none is missing here). */
import { benchCase as analytics } from './analytics';
import { benchCase as drill } from './drill';
import { benchCase as edge } from './edge';
import { benchCase as images } from './images';
import { benchCase as invalidation } from './invalidation';
import { benchCase as libcachesim } from './libcachesim';
import { benchCase as plan } from './plan';
import { benchCase as sim } from './sim';
import { benchCase as simFullScale } from './sim-full-scale';
import { benchCase as simLatency } from './sim-latency';
import { benchCase as simScale } from './sim-scale';
import { benchCase as tune } from './tune';
import { benchCase as warm } from './warm';
import type { BenchCase } from '../types';

export const BENCH_CASES: readonly BenchCase[] = [analytics, drill, edge, images, invalidation, plan, sim, simScale, libcachesim, simFullScale, simLatency, tune, warm];
