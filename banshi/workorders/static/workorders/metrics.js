/* 三率 charts: 综合成绩 by unit (bars) and 响应率/解决率/满意率 (bars + a line). */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined" || !window.Banshi) return;
  var data = JSON.parse(source.textContent);
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
      series: [{ name: "综合成绩", type: "bar", data: data.composite, itemStyle: { color: "#c8161d" },
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
        { name: "响应率", type: "bar", data: data.response, itemStyle: { color: "#1f6fd1" } },
        { name: "解决率", type: "bar", data: data.resolution, itemStyle: { color: "#2e8b57" } },
        { name: "满意率", type: "line", data: data.satisfaction, itemStyle: { color: "#e0a100" } }
      ]
    });
  }
})();
