/**
 * The local simulation: a plan and a workload in, hit ratios, latency, bandwidth and cost out.
 * Pure engine and readers; imports lib/, never Pulumi (docs/development.md).
 */
export * from './caches';
export { simModelFromPlan, type SimModel, type SimBehavior, type SimOrigin } from './plan-model';
export { SEED_PROFILE, REGIONS, type WorkloadProfile, type Region } from './profile';
export { simulatePlan, prepare, runPrepared, DEFAULT_CAPACITY, DEFAULTS, type SimulateOptions, type Prepared } from './simulate';
export type { SimulationResult, TypeResult, SimulationTotals, Check } from './results';
export { predictMonthlyUsage, type UsageOptions } from './usage';
export { runSingleCache, parseCacheSize, naiveLruMisses, type SingleCacheResult, type CacheSize } from './single-cache';
export { replayLog, type ReplayResult } from './log-replay';
export { planFromJson, planFromStackExport, isStackExport } from './stack-export';
export { parseSetOptions, applyWhatIf, isEmptyWhatIf, type WhatIf } from './what-if';
export * from './trace';
export * from './tags';
