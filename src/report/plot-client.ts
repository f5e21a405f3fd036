/**
 * Browser code of `<dataset>_plot.html` (source text; see common-client.ts).
 * Requests are painted in a uPlot `draw` hook, one canvas path per colour:
 * 100k segments cost a few ms, far less than 100k uPlot series.
 */
export const PLOT_CLIENT_JS = String.raw`
var C = { ttft: '#f59e0b', decode: '#2563eb', fail: '#dc2626', conc: '#059669' };
var EX = DATA.exact, AG = DATA.aggregated, N = DATA.requests;
var ROWS = EX ? EX.t0.length : AG.start.length;
var XMIN = Math.min(0, DATA.span[0]) / 1000, XMAX = Math.max(DATA.span[1] / 1000, XMIN + 0.001);
var YFULL = [-0.5, Math.max(ROWS, 1) - 0.5], yWant = YFULL.slice();
var report = window.__report = { kind: 'plot', requests: N, rows: ROWS, aggregated: !!AG, mode: '',
  concurrencyPoints: DATA.concurrency.t.length, drawnRows: 0, draws: 0, ready: false };

/**
 * A merged row's decode colour moves from blue to red with the row's share of
 * failed requests (SHADES steps): a 3% failure rate tints, it does not paint
 * the band red; a row where everything failed is drawn red from first send to last failure.
 */
var SHADES = 8, KINDS = ['ttft', 'fail'];
function mix(f) {
  var a = [37, 99, 235], z = [220, 38, 38];
  return 'rgb(' + a.map(function (v, i) { return Math.round(v + (z[i] - v) * f); }).join(',') + ')';
}
for (var sh = 0; sh <= SHADES; sh++) { C['d' + sh] = mix(sh / SHADES * 0.85); KINDS.unshift('d' + sh); }
function shade(nOk, nFail) { return 'd' + (nFail ? Math.max(1, Math.round(nFail / (nOk + nFail) * SHADES)) : 0); }

/** A merged row: ttft + shaded decode when something succeeded, else the failures' span. */
function mergedSegments(seg, nOk, nFail, start, split, end, fStart, fEnd) {
  if (nOk) { seg(start, split, 'ttft'); seg(split, end, shade(nOk, nFail)); }
  else if (nFail) seg(fStart, fEnd, 'fail');
}

/** Each row's segments in ms: calls seg(fromMs, toMs, kind). */
function eachSegment(row, seg) {
  if (EX) {
    var t0 = EX.t0[row], d = EX.dur[row], tt = EX.ttft[row];
    if (!EX.ok[row]) { seg(t0, t0 + d, 'fail'); return; }
    if (tt >= 0) { seg(t0, t0 + Math.min(tt, d), 'ttft'); seg(t0 + Math.min(tt, d), t0 + d, 'd0'); }
    else seg(t0, t0 + d, 'd0');
    return;
  }
  mergedSegments(seg, AG.nOk[row], AG.nFail[row], AG.start[row], AG.split[row], AG.end[row], AG.failStart[row], AG.failEnd[row]);
}

function drawRequests(u) {
  var ctx = u.ctx, b = u.bbox, xs = u.scales.x, ys = u.scales.y;
  var kx = b.width / (xs.max - xs.min), ky = b.height / (ys.max - ys.min);
  var lw = Math.max(1, Math.min(ky * 0.7, 6 * (window.devicePixelRatio || 1)));
  var paths = {};
  KINDS.forEach(function (k) { paths[k] = new Path2D(); });
  var drawn = 0, lo = Math.max(0, Math.ceil(ys.min)), hi = Math.min(ROWS - 1, Math.floor(ys.max));
  var xminMs = xs.min * 1000, xmaxMs = xs.max * 1000, py = 0, any = false, merged = false;
  var pyOf = function (r) { return b.top + b.height - (r - ys.min) * ky; };
  function seg(a, z, kind) {
    if (z < xminMs || a > xmaxMs) return;
    var pa = b.left + (a / 1000 - xs.min) * kx, pz = b.left + (z / 1000 - xs.min) * kx;
    if (pz - pa < 1) pz = pa + 1;
    paths[kind].moveTo(pa, py); paths[kind].lineTo(pz, py); any = true;
  }
  if (EX && hi - lo + 1 > DATA.mergeAbove) {
    merged = true; lw = 1;
    var nPx = Math.ceil(b.height) + 1;
    var m = mergeRows(EX, lo, hi, function (r) { return Math.floor(pyOf(r) - b.top); }, nPx);
    for (var p = 0; p < nPx; p++) {
      py = b.top + p + 0.5;
      mergedSegments(seg, m.n[p], m.nFail[p], m.start[p], m.split[p], m.end[p], m.fStart[p], m.fEnd[p]);
    }
    for (var q = lo; q <= hi; q++) if (EX.t0[q] <= xmaxMs && EX.t0[q] + EX.dur[q] >= xminMs) drawn++;
  } else {
    for (var r2 = lo; r2 <= hi; r2++) {
      py = Math.round(pyOf(r2)) + 0.5;
      any = false;
      eachSegment(r2, seg);
      if (any) drawn++;
    }
  }
  ctx.save();
  ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
  ctx.lineCap = 'butt';
  ctx.lineWidth = lw;
  KINDS.forEach(function (k) { ctx.strokeStyle = C[k]; ctx.stroke(paths[k]); });
  ctx.restore();
  report.mode = AG ? 'aggregated' : merged ? 'merged' : 'exact';
  report.drawnRows = drawn; report.draws++;
}

/** Among rows within 4 px of the cursor in y, the nearest segment in pixels (x gap + y gap). */
function pickRow(u, left, top) {
  var xs = u.scales.x, ys = u.scales.y;
  var xv = u.posToVal(left, 'x') * 1000, yv = u.posToVal(top, 'y');
  var kx = u.over.clientWidth / (xs.max - xs.min) / 1000, ky = u.over.clientHeight / (ys.max - ys.min);
  var k = Math.min(400, Math.ceil(4 / Math.max(ky, 1e-6)));
  var c = Math.min(ROWS - 1, Math.max(0, Math.round(yv))), best = c, bestD = Infinity;
  for (var r = Math.max(0, c - k); r <= Math.min(ROWS - 1, c + k); r++) {
    var a = Infinity, z = -Infinity;
    eachSegment(r, function (s, e) { a = Math.min(a, s); z = Math.max(z, e); });
    if (a === Infinity) continue;
    var d = (xv < a ? a - xv : xv > z ? xv - z : 0) * kx + Math.abs(r - yv) * ky;
    if (d < bestD) { bestD = d; best = r; }
  }
  return best;
}

function describe(r) {
  if (EX) {
    var head = 'Request #' + (r + 1) + ' (id ' + EX.id[r] + ')  sent at ' + fmtMs(EX.t0[r]);
    if (!EX.ok[r]) return head + '  FAILED after ' + fmtMs(EX.dur[r]) + '  ' + (EX.fail[r] || '');
    var tt = EX.ttft[r];
    return head + '  TTFT ' + fmtMs(tt >= 0 ? tt : NaN) + '  decode ' + fmtMs(tt >= 0 ? EX.dur[r] - tt : EX.dur[r]) + '  E2EL ' + fmtMs(EX.dur[r]);
  }
  var first = r * AG.size + 1, last = Math.min(N, (r + 1) * AG.size);
  var s = 'Requests #' + first + '-#' + last + ' (' + AG.nOk[r] + ' ok, ' + AG.nFail[r] + ' failed)';
  if (AG.nOk[r]) s += '  first sent ' + fmtMs(AG.start[r]) + '  TTFT mean ' + fmtMs(AG.ttftMean[r]) + ' max ' + fmtMs(AG.ttftMax[r]) +
    '  decode mean ' + fmtMs(AG.e2elMean[r] - AG.ttftMean[r]) + '  E2EL mean ' + fmtMs(AG.e2elMean[r]) + ' max ' + fmtMs(AG.e2elMax[r]);
  return s;
}

var info = $('req-info'), HINT = info.textContent;
/** Outline of the hovered request (a div over the canvas: no redraw of 100k segments per mouse move). */
var mark = document.createElement('div');
mark.style.cssText = 'position:absolute;display:none;pointer-events:none;height:6px;border:1px solid #111;border-radius:2px;box-sizing:border-box';
function showMark(u, row) {
  var a = Infinity, z = -Infinity;
  eachSegment(row, function (s, e) { a = Math.min(a, s); z = Math.max(z, e); });
  if (a === Infinity) { mark.style.display = 'none'; return; }
  var x0 = Math.max(0, u.valToPos(a / 1000, 'x')), x1 = Math.min(u.over.clientWidth, u.valToPos(z / 1000, 'x'));
  if (x1 < 0 || x0 > u.over.clientWidth) { mark.style.display = 'none'; return; }
  mark.style.left = (x0 - 2) + 'px'; mark.style.width = Math.max(4, x1 - x0 + 4) + 'px';
  mark.style.top = (u.valToPos(row, 'y') - 3) + 'px'; mark.style.display = 'block';
}
var sync = { key: 'timeline', scales: ['x', null] };
var topEl = $('chart-requests'), botEl = $('chart-concurrency');
var heights = [430, 230];
var top = new uPlot({
  width: chartWidth(topEl), height: heights[0], legend: { show: false },
  cursor: { sync: sync, drag: { x: true, y: true, uni: 20 }, points: { show: false } },
  // y keeps its zoom when x changes (uPlot re-ranges y on every x change; the range function answers yWant).
  scales: { x: { time: false }, y: { auto: false, range: function () { return yWant.slice(); } } },
  axes: [{ label: 'time since start (s)' }, { label: 'request # (by send time)', size: 64,
    values: function (u, splits) { return splits.map(function (v) { return Math.round(AG ? v * AG.size : v).toLocaleString('en-US'); }); } }],
  series: [{}, { label: 'requests', show: true }],
  hooks: {
    draw: [drawRequests],
    setScale: [function (u, key) { if (key === 'y') yWant = [u.scales.y.min, u.scales.y.max]; }],
    setCursor: [function (u) {
      var l = u.cursor.left, t = u.cursor.top;
      if (l == null || l < 0 || t == null || t < 0) { info.textContent = HINT; mark.style.display = 'none'; return; }
      var row = pickRow(u, l, t);
      info.textContent = describe(row);
      report.hover = info.textContent;
      showMark(u, row);
    }],
  },
}, [[XMIN, XMAX], [null, null]], topEl);

var CT = DATA.concurrency.t.map(function (t) { return t / 1000; }), CV = DATA.concurrency.v;
var maxC = 0; for (var i = 0; i < CV.length; i++) if (CV[i] > maxC) maxC = CV[i];
var bottom = new uPlot({
  width: chartWidth(botEl), height: heights[1],
  cursor: { sync: sync, drag: { x: true, y: false }, y: false },
  scales: { x: { time: false }, y: { auto: false, range: [0, Math.max(1, Math.ceil(maxC * 1.1))] } },
  axes: [{ label: 'time since start (s)' }, { label: 'in flight', size: 64 }],
  hooks: { draw: [function () { report.bottomDraws = (report.bottomDraws || 0) + 1; }] },
  series: [
    { label: 'time', value: function (u, v) { return v == null ? '-' : v.toFixed(3) + ' s'; } },
    { label: 'concurrency', stroke: C.conc, width: 1.5, fill: 'rgba(5,150,105,0.12)',
      paths: uPlot.paths.stepped({ align: 1 }), points: { show: false },
      value: function (u, v) { return v == null ? '-' : String(v); } },
  ],
}, [CT.length ? CT : [XMIN, XMAX], CV.length ? CV : [0, 0]], botEl);

var charts = [top, bottom];
var els = [topEl, botEl];
if (DATA.server) {
  // Third chart: the server's own metrics on the same, linked time axis.
  var S = DATA.server, srvEl = $('chart-server');
  var server = new uPlot({
    width: chartWidth(srvEl), height: 200,
    cursor: { sync: sync, drag: { x: true, y: false }, y: false },
    // linkX adds its setScale hook here (uPlot reads the hooks object it was given).
    hooks: { setScale: [] },
    scales: { x: { time: false }, y: { range: function (u, a, b) { return [0, Math.max(1, b * 1.1)]; } }, pct: { range: [0, 100] } },
    axes: [{ label: 'time since start (s)' }, { label: 'requests', size: 64 }, { side: 1, scale: 'pct', label: 'KV cache %', grid: { show: false } }],
    series: [
      { label: 'time', value: function (u, v) { return v == null ? '-' : v.toFixed(3) + ' s'; } },
      { label: 'running', stroke: C.conc, width: 1.5, spanGaps: false },
      { label: 'waiting', stroke: '#dc2626', width: 1.5, spanGaps: false },
      { label: 'KV cache %', stroke: '#2563eb', width: 1, dash: [4, 3], scale: 'pct', spanGaps: false },
    ],
  }, [S.t, S.running, S.waiting, S.kv], srvEl);
  charts.push(server); els.push(srvEl); heights.push(200);
  report.server = server;
}
setX(charts, XMIN, XMAX);
linkX(charts);
charts.forEach(function (u) { enablePan(u, charts); });
function resetAll() { yWant = YFULL.slice(); top.setScale('y', { min: YFULL[0], max: YFULL[1] }); setX(charts, XMIN, XMAX); }
$('btn-reset').onclick = resetAll;
$('btn-zoom-out').onclick = function () { zoomBy(charts, 2); };
$('btn-pan-left').onclick = function () { panBy(charts, -0.25); };
$('btn-pan-right').onclick = function () { panBy(charts, 0.25); };
$('btn-png').onclick = function () { savePng(charts, document.title, DATA.pngName); };
// Double-click resets both (uPlot would reset only the clicked chart to its own data range).
charts.forEach(function (u) { u.over.addEventListener('dblclick', function (e) { e.stopPropagation(); resetAll(); }, true); });
onResize(charts, els, heights);
top.over.appendChild(mark);
report.top = top; report.bottom = bottom; report.ready = true;
report.readyMs = performance.now();
`;
