/* fleet-analytics report charts: builds each chart from the JSON in #report-data with Apache
   ECharts (inlined above), SVG renderer, no animation. Every string from the data that reaches
   HTML (tooltips) goes through esc(); text drawn in SVG is set as text, never parsed. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var BAND = { CRITICAL: '#d2483f', WARNING: '#e69a28', FAIR: '#8bbf4a', GOOD: '#2e9d5b', NO_DATA: '#9aa4b1' };
  var PALETTE = ['#2456a6', '#e07b39', '#3a9d6a', '#8e5fbf', '#c9514b', '#2aa1a8', '#b58b2a', '#5b6b82', '#d36fa5', '#6f9a2d'];
  var COST = { planned: '#4e79b7', unplanned: '#e15759', downtime: '#f2a541' };
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';
  var t = data.thresholds;
  var charts = [];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function pct(v) { return v == null ? 'n/a' : (v * 100).toFixed(1) + '%'; }
  function num(v, d) {
    return v == null ? 'n/a' : Number(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  function band(v) {
    if (v == null) return 'NO_DATA';
    return v < t.critical ? 'CRITICAL' : v < t.warning ? 'WARNING' : v < t.good ? 'FAIR' : 'GOOD';
  }
  function base(extra) {
    var o = {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: '#1d2430' },
      tooltip: { confine: true, textStyle: { fontFamily: FONT, fontSize: 12 } }
    };
    for (var k in extra) o[k] = extra[k];
    return o;
  }
  var LEGEND = { top: 0, type: 'scroll', textStyle: { fontSize: 11.5, width: 170, overflow: 'truncate' },
    tooltip: { show: true }, icon: 'roundRect', itemWidth: 12, itemHeight: 8 };
  var axisLine = { lineStyle: { color: '#c9d0da' } };
  // the widest category label in the rendered font, so that no name is cut at the chart's edge
  function labelWidth(names) {
    var ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return 140;
    ctx.font = '12px ' + FONT;
    return Math.ceil(Math.max.apply(null, [40].concat(names.map(function (n) { return ctx.measureText(String(n)).width; }))));
  }
  var splitLine = { lineStyle: { color: '#eef1f5' } };
  var axisLabel = { color: '#5f6b7a', fontSize: 11 };

  function gauge(c) {
    var v = c.value;
    return base({
      tooltip: { show: false },
      series: [{
        type: 'gauge', min: 0, max: 100, startAngle: 210, endAngle: -30, radius: '95%', center: ['50%', '58%'],
        splitNumber: 10,
        axisLine: { lineStyle: { width: 18, color: [
          [t.critical, BAND.CRITICAL], [t.warning, BAND.WARNING], [t.good, BAND.FAIR], [1, BAND.GOOD]] } },
        pointer: { length: '62%', width: 6, itemStyle: { color: '#1d2430' } },
        anchor: { show: true, size: 12, itemStyle: { color: '#1d2430' } },
        axisTick: { distance: -18, length: 6, lineStyle: { color: '#fff', width: 1 } },
        splitLine: { distance: -18, length: 18, lineStyle: { color: '#fff', width: 2 } },
        axisLabel: { distance: 24, color: '#5f6b7a', fontSize: 10, formatter: function (x) { return x % 20 === 0 ? x + '' : ''; } },
        title: { offsetCenter: [0, '72%'], fontSize: 12, color: '#5f6b7a' },
        detail: { valueAnimation: false, offsetCenter: [0, '40%'], fontSize: 28, fontWeight: 650, color: BAND[band(v)],
          formatter: function () { return v == null ? 'no data' : (v * 100).toFixed(1) + '%'; } },
        data: [{ value: v == null ? 0 : v * 100, name: c.label }]
      }]
    });
  }

  function map(c) {
    echarts.registerMap('fleet-world', JSON.parse(document.getElementById('world-land').textContent));
    var pts = c.markers.filter(function (m) { return m.lat != null && m.lon != null; });
    var lons = pts.map(function (m) { return m.lon; }), lats = pts.map(function (m) { return m.lat; });
    var minLon = -170, maxLon = 180, minLat = -56, maxLat = 80;
    if (pts.length) {
      minLon = Math.min.apply(null, lons); maxLon = Math.max.apply(null, lons);
      minLat = Math.min.apply(null, lats); maxLat = Math.max.apply(null, lats);
      // labels sit to the right of the markers: leave more room there
      var span = maxLon - minLon, padLat = Math.max(12, (maxLat - minLat) * 0.25);
      minLon = Math.max(-180, minLon - Math.max(15, span * 0.12)); maxLon = Math.min(180, maxLon + Math.max(65, span * 0.4));
      minLat = Math.max(-58, minLat - padLat); maxLat = Math.min(84, maxLat + padLat);
    }
    var maxDev = Math.max.apply(null, [1].concat(pts.map(function (m) { return m.devices; })));
    return base({
      tooltip: {
        trigger: 'item', formatter: function (p) {
          var m = p.data.m;
          return '<b>' + esc(m.name) + '</b><br>OEE ' + pct(m.oee) + ' &middot; ' + m.devices + ' devices<br>' +
            (m.alerts.length ? m.alerts.map(esc).join('<br>') : 'no alerts');
        }
      },
      geo: {
        map: 'fleet-world', roam: false, silent: true, aspectScale: 0.85,
        boundingCoords: [[minLon, maxLat], [maxLon, minLat]],
        left: 6, right: 6, top: 6, bottom: 6,
        itemStyle: { areaColor: '#e6ebf1', borderColor: '#c9d1dc', borderWidth: 0.6 },
        emphasis: { disabled: true }
      },
      series: [{
        type: 'scatter', coordinateSystem: 'geo', zlevel: 2,
        symbolSize: function (v, p) { return 12 + 22 * Math.sqrt(p.data.m.devices / maxDev); },
        label: { show: true, position: 'right', fontSize: 11.5, fontWeight: 600, color: '#1d2430',
          formatter: function (p) { var m = p.data.m; return m.name + '  ' + pct(m.oee) + (m.alerts.length ? '  \u26A0 ' + m.alerts.length : ''); } },
        labelLayout: { hideOverlap: false, moveOverlap: 'shiftY' },
        data: pts.map(function (m) {
          return { name: m.name, value: [m.lon, m.lat], m: m, itemStyle: {
            color: BAND[band(m.oee)], borderColor: m.highlight ? '#1d2430' : (m.alerts.length ? '#d2483f' : '#ffffff'),
            borderWidth: m.highlight ? 3 : 2, opacity: 0.92 } };
        })
      }]
    });
  }

  // category labels: as wide as the widest name, at most half the chart; longer names are cut
  function labelSpace(c, names) {
    var el = document.getElementById(c.id);
    // a little slack: ECharts measures with its own text metrics
    return Math.min(labelWidth(names) + 10, Math.max(120, Math.round((el ? el.clientWidth : 400) * 0.5)));
  }

  function bars(c) {
    var rows = c.rows;
    var lw = labelSpace(c, rows.map(function (r) { return r.name; }));
    return base({
      grid: { left: lw + 18, right: 64, top: 8, bottom: 24 },
      tooltip: { trigger: 'item', formatter: function (p) { return esc(p.name) + ': ' + pct(p.value / 100); } },
      xAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { color: '#5f6b7a', fontSize: 11, formatter: '{value}%', hideOverlap: true }, splitLine: splitLine },
      yAxis: { type: 'category', inverse: true, data: rows.map(function (r) { return r.name; }), axisLine: axisLine,
        axisTick: { show: false }, axisLabel: { color: '#1d2430', fontSize: 12, fontFamily: FONT, width: lw, overflow: 'truncate' } },
      series: [{
        type: 'bar', barMaxWidth: 26,
        data: rows.map(function (r) { return { value: r.value == null ? 0 : +(r.value * 100).toFixed(2), itemStyle: { color: BAND[band(r.value)], borderRadius: [0, 4, 4, 0] } }; }),
        label: { show: true, position: 'right', fontSize: 11.5, fontWeight: 600, formatter: function (p) { return rows[p.dataIndex].value == null ? 'no data' : p.value.toFixed(1) + '%'; } },
        markLine: { silent: true, symbol: 'none', label: { show: false },
          lineStyle: { type: 'dashed', color: '#8a95a3' },
          data: [{ xAxis: t.warning * 100, name: 'warning' }, { xAxis: t.good * 100, name: 'world class' }] }
      }]
    });
  }

  function lines(c) {
    return base({
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: LEGEND,
      tooltip: { trigger: 'axis', formatter: function (ps) {
        return esc(ps.length ? ps[0].axisValueLabel : '') + ps.map(function (p) {
          return '<br>' + p.marker + esc(p.seriesName) + ': ' + (p.value == null ? 'n/a' : num(p.value, c.decimals) + (c.unit ? ' ' + esc(c.unit) : ''));
        }).join('');
      } },
      xAxis: { type: 'category', data: c.x, boundaryGap: c.bars, axisLine: axisLine, axisLabel: axisLabel },
      yAxis: { type: 'value', name: c.unit, nameTextStyle: { color: '#5f6b7a', fontSize: 11, align: 'left' }, axisLabel: axisLabel, splitLine: splitLine, minInterval: c.decimals ? 0 : 1 },
      series: c.series.map(function (s, i) {
        return c.bars
          ? { type: 'bar', name: s.name, data: s.data, barMaxWidth: 14, itemStyle: { color: s.color || PALETTE[i % PALETTE.length] } }
          : { type: 'line', name: s.name, data: s.data, connectNulls: false, showSymbol: c.x.length <= 40, symbolSize: 5,
              smooth: false, lineStyle: { width: 2 }, itemStyle: { color: s.color || PALETTE[i % PALETTE.length] } };
      })
    });
  }

  function area(c) {
    return base({
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: LEGEND,
      tooltip: { trigger: 'axis', formatter: function (ps) {
        var total = 0;
        var rows = ps.map(function (p) { total += p.value || 0; return '<br>' + p.marker + esc(p.seriesName) + ': ' + num(p.value, 0) + ' ' + esc(c.currency); });
        return esc(ps.length ? ps[0].axisValueLabel : '') + rows.join('') + '<br><b>Total ' + num(total, 0) + ' ' + esc(c.currency) + '</b>';
      } },
      xAxis: { type: 'category', data: c.x, boundaryGap: false, axisLine: axisLine, axisLabel: axisLabel },
      yAxis: { type: 'value', name: c.currency, nameTextStyle: { color: '#5f6b7a', fontSize: 11, align: 'left' }, axisLabel: { color: '#5f6b7a', fontSize: 11,
        formatter: function (v) { return v >= 1000 ? (v / 1000).toLocaleString('en-US') + 'k' : v; } }, splitLine: splitLine },
      series: c.series.map(function (s, i) {
        var col = s.color || PALETTE[i % PALETTE.length];
        return { type: 'line', name: s.name, data: s.data, stack: 'cost', showSymbol: false, lineStyle: { width: 1.2, color: col },
          areaStyle: { opacity: 0.55, color: col }, itemStyle: { color: col }, emphasis: { focus: 'series' } };
      })
    });
  }

  function split(c) {
    var lw = labelSpace(c, c.categories);
    return base({
      grid: { left: lw + 18, right: 24, top: 36, bottom: 24 },
      legend: LEGEND,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (ps) {
        return esc(ps.length ? ps[0].name : '') + ps.map(function (p) { return '<br>' + p.marker + esc(p.seriesName) + ': ' + num(p.value, 0) + ' ' + esc(c.currency); }).join('');
      } },
      xAxis: { type: 'value', axisLabel: { color: '#5f6b7a', fontSize: 11, formatter: function (v) { return v >= 1000 ? (v / 1000).toLocaleString('en-US') + 'k' : v; } }, splitLine: splitLine },
      yAxis: { type: 'category', inverse: true, data: c.categories, axisLine: axisLine, axisTick: { show: false },
        axisLabel: { color: '#1d2430', fontSize: 12, fontFamily: FONT, width: lw, overflow: 'truncate' } },
      series: c.series.map(function (s) {
        return { type: 'bar', name: s.name, stack: 'cost', data: s.data, barMaxWidth: 24, itemStyle: { color: COST[s.key] } };
      })
    });
  }

  var builders = { gauge: gauge, map: map, bars: bars, lines: lines, area: area, split: split };
  data.charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(builders[c.type](c));
    charts.push(chart);
  });

  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  if (window.matchMedia) {
    var mq = window.matchMedia('print');
    if (mq.addEventListener) mq.addEventListener('change', resize);
  }
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
