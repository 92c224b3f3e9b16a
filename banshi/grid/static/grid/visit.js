// The visit form: fill latitude and longitude from the phone's location when the visitor asks.
(function () {
  "use strict";
  var box = document.querySelector("[data-locate]");
  if (!box || !navigator.geolocation) return;
  var button = box.querySelector("[data-locate-button]");
  var lat = box.querySelector("input[name=latitude]");
  var lon = box.querySelector("input[name=longitude]");
  if (!button || !lat || !lon) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        button.disabled = false;
      },
      function () { button.disabled = false; },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
})();
