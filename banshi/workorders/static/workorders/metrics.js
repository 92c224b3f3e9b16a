/* Three-rate charts: the composite score by unit (bars) and the response, resolution and
   satisfaction rates (bars + a line). Series names come translated in the chart data. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined" || !window.Banshi) return;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var axis = { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 6 ? 30 : 0 } };
  var percent = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}" } };
  var composite = document.getElementById("chart-composite");
  if (composite) {
    // The default axis tooltip escapes category and series names itself (ECharts encodes them).
    Banshi.chart(composite, {
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 10, bottom: 60, top: 20 },
      xAxis: axis,
      yAxis: percent,
      series: [{ name: labels.composite, type: "bar", data: data.composite, itemStyle: { color: "#c8161d" },
        label: { show: true, position: "top" } }]
    });
  }
  var rates = document.getElementById("chart-rates");
  if (rates) {
    Banshi.chart(rates, {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, bottom: 60, top: 30 },
      xAxis: axis,
      yAxis: percent,
      series: [
        { name: labels.response, type: "bar", data: data.response, itemStyle: { color: "#1f6fd1" } },
        { name: labels.resolution, type: "bar", data: data.resolution, itemStyle: { color: "#2e8b57" } },
        { name: labels.satisfaction, type: "line", data: data.satisfaction, itemStyle: { color: "#e0a100" } }
      ]
    });
  }
})();
