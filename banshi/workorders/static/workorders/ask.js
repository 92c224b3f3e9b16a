/* The citizen form: an optional map point over the Changsha district outlines (no tile server is
   needed, so it works offline), stored as WGS84; and the anonymous switch. The point's caption
   comes translated in data-* attributes of #map-point. */
(function () {
  "use strict";
  var anon = document.getElementById("id_anonymous");
  var contact = document.getElementById("contact-fields");
  function syncAnon() { if (anon && contact) contact.hidden = anon.checked; }
  if (anon) { anon.addEventListener("change", syncAnon); syncAnon(); }

  var el = document.getElementById("map-picker");
  if (!el || typeof L === "undefined" || !window.Banshi) return;
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var label = document.getElementById("map-point");
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 }).setView([28.2, 112.95], 9);
  var marker = null;
  function show(latlng) {
    if (marker) marker.setLatLng(latlng); else marker = L.circleMarker(latlng, {
      radius: 8, color: "#c8161d", weight: 3, fillColor: "#fff", fillOpacity: 1 }).addTo(map);
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    label.textContent = label.dataset.chosen.replace("{lat}", lat.value).replace("{lng}", lon.value);
  }
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      style: { color: "#9e1016", weight: 1, fillColor: "#fdf1f1", fillOpacity: 0.6 },
      onEachFeature: function (feature, l) {
        // Leaflet puts a string tooltip in as HTML: escape it.
        l.bindTooltip(Banshi.escapeHtml(feature.properties.name), { permanent: true, direction: "center", className: "district-label" });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    if (lat.value && lon.value) show(L.latLng(parseFloat(lat.value), parseFloat(lon.value)));
  });
  map.on("click", function (e) { show(e.latlng); });
  document.getElementById("map-clear").addEventListener("click", function () {
    if (marker) { map.removeLayer(marker); marker = null; }
    lat.value = ""; lon.value = "";
    label.textContent = label.dataset.none;
  });
})();
