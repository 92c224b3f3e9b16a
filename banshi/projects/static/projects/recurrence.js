/* The recurrence chart on a project page: monthly requests of the linked categories at the
   project's place, coloured by phase (before / during / after). Data: json_script "recurrence-data". */
(function () {
  var el = document.getElementById("recurrence-chart");
  var raw = document.getElementById("recurrence-data");
  if (!el || !raw || !window.echarts || !window.Banshi) return;
  var esc = Banshi.escapeHtml;
  var data = JSON.parse(raw.textContent);
  var colours = { before: "#d9302c", during: "#e6a23c", after: "#2e9d5b" };
  var labels = data.labels;  // translated on the server: legend names, tooltip and axis words
  var names = { before: labels.before, during: labels.during, after: labels.after };
  Banshi.chart(el, {
    grid: { left: 40, right: 20, top: 30, bottom: 40 },
    legend: { data: [names.before, names.during, names.after], top: 0 },
    tooltip: { trigger: "axis", formatter: function (items) {
      var i = items[0].dataIndex;
      return esc(data.months[i]) + "<br>" +
        Banshi.fill(labels.tooltip, { phase: names[data.phases[i]], count: data.counts[i] }); } },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1, name: labels.axis },
    series: ["before", "during", "after"].map(function (phase) {
      return { name: names[phase], type: "bar", stack: "n", itemStyle: { color: colours[phase] },
        data: data.counts.map(function (n, i) { return data.phases[i] === phase ? n : null; }) };
    })
  });
})();
