// Draw the dashboard's charts from the JSON blocks on the page; redraw after htmx swaps in new filters.
// The same numbers are in the table under each chart (and in its CSV download); the series' names come
// translated in the JSON (data.names), so nothing here is in one language or the other.
(function () {
  "use strict";
  var RAG_COLOURS = ["#2e8540", "#e0a000", "#c0392b", "#999999"];

  function read(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function chartIn(id) {
    var holder = document.getElementById(id);
    if (!holder) { return null; }
    var old = echarts.getInstanceByDom(holder);
    if (old) { old.dispose(); }
    return echarts.init(holder);
  }

  // The widest a unit's name may be beside the bars: a third of the chart, between 96 and 240 px.
  function labelWidth(chart) {
    return Math.max(96, Math.min(240, Math.floor(chart.getWidth() / 3)));
  }

  function percent(v) { return v === null || v === undefined ? "—" : v + "%"; }

  function drawRag() {
    var data = read("dashboard-rag-data");
    var chart = data && chartIn("dashboard-rag-chart");
    if (!chart) { return; }
    chart.setOption({
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["35%", "65%"],
        data: data.labels.map(function (label, i) {
          return { name: label, value: data.values[i], itemStyle: { color: RAG_COLOURS[i] } };
        })
      }]
    });
  }

  function drawUnits() {
    var data = read("dashboard-units-data");
    var holder = document.getElementById("dashboard-units-chart");
    // One row per unit, every name shown: the chart grows with the number of units.
    if (data && holder) { holder.style.height = Math.max(240, 64 + 28 * data.units.length) + "px"; }
    var chart = data && chartIn("dashboard-units-chart");
    if (!chart) { return; }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { bottom: 0 },
      // containLabel: the grid makes room for the unit names instead of cutting them at a fixed margin;
      // a name longer than a third of the chart is truncated with "…" and the axis tooltip shows it whole.
      grid: { left: 8, right: 24, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: {
        type: "category", inverse: true, data: data.units,
        axisLabel: { width: labelWidth(chart), overflow: "truncate", ellipsis: "…" }
      },
      series: [
        { name: data.names.on_time, type: "bar", data: data.on_time },
        { name: data.names.on_track, type: "bar", data: data.on_track }
      ]
    });
  }

  function drawTrend() {
    var data = read("dashboard-trend-data");
    var chart = data && chartIn("dashboard-trend-chart");
    if (!chart) { return; }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: data.dates },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: data.names.progress, type: "line", data: data.progress },
        { name: data.names.planned, type: "line", data: data.planned, lineStyle: { type: "dashed" } }
      ]
    });
  }

  function draw() {
    if (typeof echarts === "undefined") { return; }
    drawRag();
    drawUnits();
    drawTrend();
  }

  function resize() {
    ["dashboard-rag-chart", "dashboard-units-chart", "dashboard-trend-chart"].forEach(function (id) {
      var holder = document.getElementById(id);
      var chart = holder && echarts.getInstanceByDom(holder);
      if (chart) { chart.resize(); }
      if (chart && id === "dashboard-units-chart") {
        chart.setOption({ yAxis: { axisLabel: { width: labelWidth(chart) } } });
      }
    });
  }

  function start() {
    draw();
    document.body.addEventListener("htmx:afterSettle", draw);
    window.addEventListener("resize", resize);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
