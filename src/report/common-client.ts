/**
 * Browser helpers shared by both reports, shipped as source text (the page
 * has no module loader and no network). Plain ES2017, no template literals.
 */
export const COMMON_CLIENT_JS = String.raw`
var DATA = JSON.parse(document.getElementById('report-data').textContent);
function $(id) { return document.getElementById(id); }
function fmtMs(ms) {
  if (ms == null || !isFinite(ms)) return '-';
  return Math.abs(ms) >= 1000 ? (ms / 1000).toFixed(3) + ' s' : ms.toFixed(1) + ' ms';
}
function chartWidth(el) { return Math.max(320, Math.floor(el.clientWidth || document.body.clientWidth - 40)); }
function setX(charts, min, max) {
  for (var i = 0; i < charts.length; i++) charts[i].setScale('x', { min: min, max: max });
}
/** Zooming or panning one chart moves every chart of the group (guarded against echo). */
function linkX(charts) {
  var busy = false;
  charts.forEach(function (u) {
    u.hooks.setScale = u.hooks.setScale || [];
    u.hooks.setScale.push(function (src, key) {
      if (key !== 'x' || busy) return;
      busy = true;
      try {
        charts.forEach(function (o) {
          if (o !== src && (o.scales.x.min !== src.scales.x.min || o.scales.x.max !== src.scales.x.max))
            o.setScale('x', { min: src.scales.x.min, max: src.scales.x.max });
        });
      } finally { busy = false; }
    });
  });
}
/** Shift+drag pans horizontally; uPlot's own drag (zoom) never sees that gesture. */
function enablePan(u, charts) {
  u.root.addEventListener('mousedown', function (e) {
    if (!e.shiftKey || e.button !== 0) return;
    e.stopPropagation(); e.preventDefault();
    var x0 = e.clientX, min = u.scales.x.min, max = u.scales.x.max, w = u.over.clientWidth || 1;
    function move(ev) { var dv = (ev.clientX - x0) / w * (max - min); setX(charts, min - dv, max - dv); }
    function up() { window.removeEventListener('mousemove', move, true); window.removeEventListener('mouseup', up, true); }
    window.addEventListener('mousemove', move, true);
    window.addEventListener('mouseup', up, true);
  }, true);
}
function panBy(charts, frac) {
  var s = charts[0].scales.x, d = (s.max - s.min) * frac;
  setX(charts, s.min + d, s.max + d);
}
function zoomBy(charts, factor) {
  var s = charts[0].scales.x, c = (s.min + s.max) / 2, h = (s.max - s.min) / 2 * factor;
  setX(charts, c - h, c + h);
}
/** One PNG of all charts (canvas pixels), under a title line, offered as a download. */
function savePng(charts, title, fileName) {
  var dpr = window.devicePixelRatio || 1, head = Math.round(28 * dpr), w = 0, h = head;
  charts.forEach(function (u) { w = Math.max(w, u.ctx.canvas.width); h += u.ctx.canvas.height; });
  var c = document.createElement('canvas'); c.width = w; c.height = h;
  var g = c.getContext('2d');
  g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
  g.fillStyle = '#111'; g.font = Math.round(14 * dpr) + 'px sans-serif'; g.fillText(title, 8 * dpr, 19 * dpr);
  var y = head;
  charts.forEach(function (u) { g.drawImage(u.ctx.canvas, 0, y); y += u.ctx.canvas.height; });
  var a = document.createElement('a');
  a.download = fileName; a.href = c.toDataURL('image/png');
  document.body.appendChild(a); a.click(); a.remove();
  return a.href.length;
}
function onResize(charts, els, heights) {
  var t = 0;
  window.addEventListener('resize', function () {
    clearTimeout(t);
    t = setTimeout(function () {
      charts.forEach(function (u, i) { u.setSize({ width: chartWidth(els[i]), height: heights[i] }); });
    }, 100);
  });
}
`;
