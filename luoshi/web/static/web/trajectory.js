// Draw the task's trajectory (planned vs reported progress) and one small chart per indicator
// (its planned line from baseline to target vs the values reported) from the JSON block on the page.
// The same numbers are in the tables below the charts, for screen readers and printing.
// The section is swapped in again (htmx, out of band) when the plan changes: it is then drawn anew.
(function () {
  "use strict";
  var charts = [];
  function lines(list, names) {
    var series = [];
    list.forEach(function (s) {
      series.push({ name: s.unit + " " + names.planned, type: "line", data: s.planned, lineStyle: { type: "dashed" } });
      series.push({ name: s.unit + " " + names.actual, type: "line", data: s.actual, connectNulls: false });
    });
    return series;
  }
  function plot(holder, periods, series, yAxis, suffix) {
    var chart = echarts.init(holder);
    charts.push(chart);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + suffix; } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 56, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: periods },
      yAxis: yAxis,
      series: series
    });
  }
  function draw() {
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    var holder = document.getElementById("trajectory-chart");
    var source = document.getElementById("trajectory-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var names = data.names || { planned: "planned", actual: "actual" };  // translated by the server
    if (!data.periods.length) {
      holder.style.display = "none";
      document.querySelectorAll(".indicator-chart").forEach(function (el) { el.style.display = "none"; });
      return;
    }
    plot(holder, data.periods, lines(data.series, names),
         { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }, "%");
    (data.indicators || []).forEach(function (indicator) {
      var box = document.getElementById("indicator-" + indicator.id + "-chart");
      if (!box) { return; }
      var unit = indicator.unit_of_measure ? " " + indicator.unit_of_measure : "";
      plot(box, data.periods, lines(indicator.series, names), { type: "value", scale: true }, unit);
    });
  }
  function redrawIfSwapped() {
    var holder = document.getElementById("trajectory-chart");
    if (holder && typeof echarts !== "undefined" && !echarts.getInstanceByDom(holder)) { draw(); }
  }
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  document.addEventListener("htmx:afterSettle", redrawIfSwapped);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
