// Draw the task's trajectory (planned vs reported progress) from the JSON block on the page.
// The same numbers are in the table below the chart, for screen readers and printing.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("trajectory-chart");
    var source = document.getElementById("trajectory-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.periods.length) { holder.style.display = "none"; return; }
    var names = data.names || { planned: "planned", actual: "actual" };  // translated by the server
    var series = [];
    data.series.forEach(function (s) {
      series.push({ name: s.unit + " " + names.planned, type: "line", data: s.planned, lineStyle: { type: "dashed" } });
      series.push({ name: s.unit + " " + names.actual, type: "line", data: s.actual, connectNulls: false });
    });
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
