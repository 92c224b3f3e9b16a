/* The target vs actual bar chart of one indicator across a node's children.
   Data: json_script "indicator-data" (names, target, actual, translated labels). */
(function () {
  var el = document.getElementById("indicator-chart");
  var raw = document.getElementById("indicator-data");
  if (!el || !raw || !window.echarts || !window.Banshi) return;
  var data = JSON.parse(raw.textContent);
  var labels = data.labels;
  Banshi.chart(el, {
    grid: { left: 60, right: 20, top: 40, bottom: 60 },
    legend: { data: [labels.target, labels.actual], top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: labels.axis },
    series: [
      { name: labels.target, type: "bar", data: data.target, itemStyle: { color: "#9aa5b1" } },
      { name: labels.actual, type: "bar", data: data.actual, itemStyle: { color: "#c0392b" } }
    ]
  });
})();
