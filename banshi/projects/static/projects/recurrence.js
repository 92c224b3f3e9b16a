/* The recurrence chart on a project page: monthly requests of the linked categories at the
   project's place, coloured by phase (before / during / after). Data: json_script "recurrence-data". */
(function () {
  var el = document.getElementById("recurrence-chart");
  var raw = document.getElementById("recurrence-data");
  if (!el || !raw || !window.echarts || !window.Banshi) return;
  var esc = Banshi.escapeHtml;
  var data = JSON.parse(raw.textContent);
  var colours = { before: "#d9302c", during: "#e6a23c", after: "#2e9d5b" };
  var names = { before: "项目实施前", during: "实施期间", after: "完成后" };
  Banshi.chart(el, {
    grid: { left: 40, right: 20, top: 30, bottom: 40 },
    legend: { data: ["项目实施前", "实施期间", "完成后"], top: 0 },
    tooltip: { trigger: "axis", formatter: function (items) {
      var i = items[0].dataIndex;
      return esc(data.months[i]) + "<br>" + esc(names[data.phases[i]]) + "：" + esc(data.counts[i]) + "件"; } },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1, name: "件" },
    series: ["before", "during", "after"].map(function (phase) {
      return { name: names[phase], type: "bar", stack: "n", itemStyle: { color: colours[phase] },
        data: data.counts.map(function (n, i) { return data.phases[i] === phase ? n : null; }) };
    })
  });
})();
