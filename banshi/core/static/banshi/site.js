/* On phones the sections scroll sideways in one row (site.css): bring the current one into view. */
(function () {
  "use strict";
  var active = document.querySelector(".mainnav a.active");
  var nav = active && active.parentElement;
  if (!nav || nav.scrollWidth <= nav.clientWidth) return;
  nav.scrollLeft = Math.max(0, active.offsetLeft - nav.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2);
})();
