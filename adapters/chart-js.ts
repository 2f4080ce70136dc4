/**
 * Reads the Chart.js UMD bundle that the HTML reports inline (lib/report/html.ts takes it as a
 * parameter, so that module stays free of file I/O).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let chartJsBundle: string | undefined;

/** The Chart.js UMD bundle (node_modules/chart.js/dist/chart.umd.js), read once. */
export function chartJsSource(): string {
  if (chartJsBundle === undefined) {
    // The package's "exports" hide dist/chart.umd.js; its main entry lives in the same folder.
    const file = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
    chartJsBundle = readFileSync(file, 'utf8');
  }
  return chartJsBundle;
}
