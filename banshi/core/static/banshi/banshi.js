/* Shared page helpers, loaded by the base layout before each page's own scripts.

   Banshi.escapeHtml(text): the one way user text (names, addresses, request content) goes into an
   HTML string — ECharts tooltip formatters and Leaflet popups/tooltips take HTML, so anything a
   user typed must pass through here first. Prefer textContent where the API allows a DOM node.

   Banshi.chart(element, option): draws an ECharts chart once the shipped CJK font has loaded
   (canvas text drawn before the font arrives would stay in a fallback font, or as empty boxes on
   a machine without one), with that font for all chart text, and keeps it sized to the page.

   Banshi.fill(template, values): a translated sentence from the server ("Planned: %(date)s") with its
   %(name)s placeholders filled, as escaped HTML: the template and every value are escaped. */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  var FONT = '"Noto Sans SC", sans-serif';

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return ENTITIES[c];
    });
  }

  function fill(template, values) {
    return escapeHtml(template).replace(/%\(([a-z_]+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? escapeHtml(values[name]) : whole;
    });
  }

  function whenFontReady(callback) {
    if (!document.fonts || !document.fonts.load) { callback(); return; }
    Promise.all([
      document.fonts.load('400 14px "Noto Sans SC"', "\u529e"),
      document.fonts.load('700 14px "Noto Sans SC"', "\u529e")
    ]).then(callback, callback);
  }

  function chart(element, option) {
    whenFontReady(function () {
      var instance = window.echarts.init(element);
      option.textStyle = Object.assign({ fontFamily: FONT }, option.textStyle || {});
      instance.setOption(option);
      window.addEventListener("resize", function () { instance.resize(); });
    });
  }

  window.Banshi = { escapeHtml: escapeHtml, fill: fill, chart: chart, fontFamily: FONT };
})();
