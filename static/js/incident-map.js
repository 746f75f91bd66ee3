/* The incident page's small map: the claim's point over the boundaries of Iraq and Syria, with
   the helpers of map.js (loaded before it). Static-ish: no scroll-wheel zoom, so the page
   scrolls past it; the zoom buttons and the keyboard still work. */
(function () {
  "use strict";

  var element = document.getElementById("incident-map");
  if (!element || !window.L || !window.claimsMap) { return; }
  var point = {
    lat: parseFloat(element.dataset.lat),
    lon: parseFloat(element.dataset.lon),
    category: element.dataset.category
  };
  var map = window.claimsMap.createMap(element, {
    scrollWheelZoom: false,
    center: [point.lat, point.lon],
    zoom: 6
  });
  window.claimsMap.marker(point, { radius: 8, weight: 2, interactive: false }).addTo(map);
  window.claimsMap.drawBoundaries(map, element).then(function () {
    element.classList.add("is-ready");
  });
})();
