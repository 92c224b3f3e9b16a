/* The milestone bar chart: one bar per node from the previous node to its planned date, and a
   red line at today. Data, with the translated tooltip words, comes from the page (json_script
   "chart-data"). */
(function () {
  var el = document.getElementById("milestone-chart");
  var raw = document.getElementById("chart-data");
  if (!el || !raw || !window.echarts || !window.Banshi) return;
  var esc = Banshi.escapeHtml;
  var fill = Banshi.fill;
  var data = JSON.parse(raw.textContent);
  var colours = { done: "#2e9d5b", missed: "#d9302c", pending: "#2f7fe0" };
  var day = function (s) { return new Date(s + "T00:00:00").getTime(); };
  var names = data.bars.map(function (b) { return b.name; });
  Banshi.chart(el, {
    grid: { left: 110, right: 30, top: 20, bottom: 30 },
    tooltip: { formatter: function (p) { var b = data.bars[p.dataIndex];
      return esc(b.name) + "<br>" + fill(data.labels.planned, { date: b.end, weight: b.weight }) +
        (b.completed ? "<br>" + fill(data.labels.completed, { date: b.completed }) : ""); } },
    xAxis: { type: "time", min: day(data.start), max: day(data.deadline) },
    yAxis: { type: "category", data: names, inverse: true },
    series: [{
      type: "custom",
      renderItem: function (params, api) {
        var y = api.value(0), a = api.coord([api.value(1), y]), b = api.coord([api.value(2), y]);
        var h = api.size([0, 1])[1] * 0.5;
        return { type: "rect", shape: { x: a[0], y: a[1] - h / 2, width: Math.max(b[0] - a[0], 3), height: h },
          style: { fill: colours[data.bars[params.dataIndex].state] } };
      },
      encode: { x: [1, 2], y: 0 },
      data: data.bars.map(function (b, i) { return [i, day(b.start), day(b.end)]; }),
      markLine: { symbol: "none", silent: true, lineStyle: { color: "#c8161d", type: "dashed" },
        label: { formatter: data.labels.today }, data: [{ xAxis: day(data.today) }] }
    }]
  });
})();
