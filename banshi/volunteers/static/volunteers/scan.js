/* Check-in and check-out: ask the browser for the phone's position (WGS84), put it in the form
   and submit. The server checks the token and the geofence; this only gathers the point.
   Messages come translated in data-* attributes of the form. */
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form) return;
  var status = form.querySelector("[data-geo-status]");
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) return;
    event.preventDefault();
    if (!navigator.geolocation) {
      status.textContent = form.dataset.unsupported;
      return;
    }
    status.textContent = form.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(6);
        form.elements.lon.value = position.coords.longitude.toFixed(6);
        sending = true;
        form.submit();
      },
      function () {
        status.textContent = form.dataset.denied;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
    );
  });
})();
