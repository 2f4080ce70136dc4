import { buildPlan } from '../../plan/run-plan';
import type { BenchCase } from '../types';

/** How long the offline plan of the prod stack takes (program under mocks, in process). */
export const benchCase: BenchCase = {
  name: 'plan',
  description: 'offline plan of the prod stack',
  async run() {
    const started = process.hrtime.bigint();
    const plan = await buildPlan({ stack: 'prod' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { 'plan.prodMs': { value: Math.round(ms), unit: 'ms' }, 'plan.prodResources': { value: plan.resources.length, unit: 'resources' } };
  },
};
