/**
 * Monitoring and cost, pure: names, access-log fields, content-type path classes, metric filters,
 * Logs Insights queries, alarm specs, the dashboard body, the report, real-user monitoring and the cost
 * analysis. Components (CdnLogGroup, CdnDashboard, CdnAlarms, CdnCostAlerts, CdnRum) and the scripts (report, cost)
 * build on these.
 */
export * from './names';
export * from './log-fields';
export * from './path-classes';
export * from './metric-filters';
export * from './insights-queries';
export * from './alarms';
export * from './dashboard';
export * from './report-metrics';
export * from './report';
export * from './rum';
export * from './time-range';
export * from './cost-analysis';
export * from './cost-alerts';
export * from './cost-report';
