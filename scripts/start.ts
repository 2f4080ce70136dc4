/**
 * npm start: the main job. Until the simulator lands, prints the prod plan summary.
 */
import { renderPlanSummary } from '../lib/plan-summary';
import { buildPlan } from '../plan/run-plan';
import { runMain } from './lib/cli';

runMain(async () => {
  const plan = await buildPlan({ stack: 'prod' });
  console.log(renderPlanSummary(plan));
});
