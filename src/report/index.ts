export { buildPlotHtml } from './plot-html.js';
export { buildRpsHtml } from './rps-html.js';
export { writeReports, writeReportsFromDetails } from './write-reports.js';
export { preparePlotData, AGGREGATE_ABOVE, AGGREGATE_ROWS, type PlotData } from './plot-data.js';
export { prepareRpsData, type RpsData } from './rps-data.js';
export { concurrencySteps, type StepSeries } from './concurrency.js';
export { escapeHtml, scriptJson } from './escape.js';
export type { PlotInput, RpsInput, ReportMeta, ReportRecord, RampUp } from './types.js';
