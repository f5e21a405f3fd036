/** Browser code of `<dataset>_rps_distribution_plot.html` (source text; see common-client.ts). */
export const RPS_CLIENT_JS = String.raw`
var C = { planned: '#6366f1', actual: '#f97316', cfg: '#111827', mean: '#0891b2', max: '#be123c' };
var report = window.__report = { kind: 'rps', requests: DATA.requests, bins: DATA.binT.length,
  gapBins: DATA.gapEdges.length, ready: false };
var secs = function (a) { return a.map(function (t) { return t / 1000; }); };
/** A step series' last bin needs its right edge, or it has no width on screen. */
function closeBins(xs, width, cols) {
  var out = [xs.concat(xs.length ? [xs[xs.length - 1] + width] : [])];
  cols.forEach(function (c) { out.push(c.concat(c.length ? [c[c.length - 1]] : [])); });
  return out;
}
var rateT = secs(DATA.binT), cfgT = secs(DATA.configured.t);
var rateBins = closeBins(rateT, DATA.binMs / 1000, [DATA.planned, DATA.actual]);
var rateData = cfgT.length ? uPlot.join([rateBins, [cfgT, DATA.configured.rps]]) : rateBins;
var XMIN = 0, XMAX = Math.max(rateT.length ? rateT[rateT.length - 1] + DATA.binMs / 1000 : 1, cfgT.length ? cfgT[cfgT.length - 1] : 0);
var step = function () { return uPlot.paths.stepped({ align: 1 }); };
var sVal = function (u, v) { return v == null ? '-' : v.toFixed(3) + ' s'; };
var rVal = function (u, v) { return v == null ? '-' : v.toFixed(1) + ' req/s'; };
var mVal = function (u, v) { return v == null ? '-' : fmtMs(v); };
var sync = { key: 'arrivals', scales: ['x', null] };
var els = [$('chart-rate'), $('chart-delay'), $('chart-gaps')], heights = [320, 200, 260];
var rateSeries = [
  { label: 'time', value: sVal },
  { label: 'planned', stroke: C.planned, width: 1.5, paths: step(), points: { show: false }, value: rVal },
  { label: 'actual', stroke: C.actual, width: 1.5, paths: step(), points: { show: false }, value: rVal },
];
if (cfgT.length) rateSeries.push({ label: 'configured', stroke: C.cfg, width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false }, value: rVal });
var rate = new uPlot({
  width: chartWidth(els[0]), height: heights[0],
  cursor: { sync: sync, drag: { x: true, y: false } },
  scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
  axes: [{ label: 'time since start (s)' }, { label: 'send rate (req/s) per ' + fmtMs(DATA.binMs) + ' bin', size: 60 }],
  series: rateSeries,
}, rateData, els[0]);
var delay = new uPlot({
  width: chartWidth(els[1]), height: heights[1],
  cursor: { sync: sync, drag: { x: true, y: false } },
  scales: { x: { time: false }, y: { range: function (u, min, max) { return [Math.min(0, min), Math.max(1, max * 1.1)]; } } },
  axes: [{ label: 'planned send time (s)' }, { label: 'send delay (ms)', size: 60 }],
  series: [
    { label: 'time', value: sVal },
    { label: 'mean delay', stroke: C.mean, width: 1.5, paths: step(), points: { show: false }, value: mVal },
    { label: 'max delay', stroke: C.max, width: 1, paths: step(), points: { show: false }, value: mVal },
  ],
}, closeBins(rateT, DATA.binMs / 1000, [DATA.delayMean, DATA.delayMax]), els[1]);
var gapX = DATA.gapEdges;
var gaps = new uPlot({
  width: chartWidth(els[2]), height: heights[2],
  cursor: { drag: { x: true, y: false } },
  scales: { x: { time: false } },
  axes: [{ label: 'gap between consecutive sends (ms), bins of ' + fmtMs(DATA.gapWidth) }, { label: 'count', size: 60 }],
  series: [
    { label: 'gap', value: function (u, v) { return v == null ? '-' : fmtMs(v) + ' to ' + fmtMs(v + DATA.gapWidth); } },
    { label: 'planned gaps', stroke: C.planned, fill: 'rgba(99,102,241,0.18)', width: 1.5, paths: step(), points: { show: false } },
    { label: 'actual gaps', stroke: C.actual, fill: 'rgba(249,115,22,0.18)', width: 1.5, paths: step(), points: { show: false } },
  ],
}, closeBins(gapX, DATA.gapWidth, [DATA.gapPlanned, DATA.gapActual]), els[2]);
var timeCharts = [rate, delay];
setX(timeCharts, XMIN, XMAX);
linkX(timeCharts);
timeCharts.forEach(function (u) { enablePan(u, timeCharts); });
$('btn-reset').onclick = function () { setX(timeCharts, XMIN, XMAX); gaps.setScale('x', { min: gapX[0] || 0, max: (gapX[gapX.length - 1] || 0) + DATA.gapWidth }); };
$('btn-png').onclick = function () { savePng([rate, delay, gaps], document.title, DATA.pngName); };
timeCharts.forEach(function (u) { u.over.addEventListener('dblclick', function (e) { e.stopPropagation(); setX(timeCharts, XMIN, XMAX); }, true); });
onResize([rate, delay, gaps], els, heights);
report.rate = rate; report.delay = delay; report.gaps = gaps; report.ready = true;
`;
