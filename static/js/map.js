/* The claims map (/map/) and the helpers the incident page's small map shares (claimsMap).
   Leaflet over our own GeoJSON boundaries of Iraq and Syria: no tile layer, nothing fetched from
   another server. The points are embedded in the page (<script id="map-points">), already
   filtered by the server with the API's filters, so the map, the list and the downloads agree.

   One circle per claim, at the position reported, drawn in the order of the incident dates (the
   latest on top: no outcome is favoured where points overlap). Claims reported at exactly the
   same position (a town's centre) open one popup listing them all, and that position is one tab
   stop. */
(function () {
  "use strict";

  var css = getComputedStyle(document.documentElement);
  // The outcome colours of the site's stylesheet (--credible, ...), so map and labels agree.
  var COLOURS = {
    credible: css.getPropertyValue("--credible").trim() || "#b3261e",
    non_credible: css.getPropertyValue("--non-credible").trim() || "#4a5563",
    duplicate: css.getPropertyValue("--duplicate").trim() || "#6b4fa0",
    open: css.getPropertyValue("--open").trim() || "#9a5b00"
  };
  var CATEGORIES = ["credible", "non_credible", "duplicate", "open"];
  // Iraq and Syria, with a margin.
  var REGION = [[29.0, 35.6], [37.5, 48.7]];

  function createMap(element, options) {
    element.textContent = ""; // the no-JavaScript message
    var map = L.map(element, Object.assign({
      attributionControl: false,
      zoomSnap: 0.25,
      minZoom: 4,
      maxZoom: 14
    }, options));
    // A map given its own view (the incident page) starts there: a second, animated change of
    // view would leave the outlines, added when they arrive, drawn for the first one.
    if (!options || !options.center) { map.fitBounds(REGION); }
    return map;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  // Countries (filled, named) under governorates (lines), all below the points.
  function drawBoundaries(map, element) {
    var governorates = getJSON(element.dataset.governorates).then(function (data) {
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#a9b1bc", weight: 0.8, fill: false }
      }).addTo(map);
    });
    var countries = getJSON(element.dataset.countries).then(function (data) {
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#59616d", weight: 1.4, fillColor: "#fbfaf6", fillOpacity: 1 },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(feature.properties.name, {
            permanent: true, direction: "center", className: "country-label", interactive: false
          });
        }
      }).addTo(map).bringToBack();
    });
    return Promise.all([countries, governorates]).catch(function (error) {
      // The points still show; only the outlines are missing.
      if (window.console) { console.error("Map boundaries not loaded", error); }
    });
  }

  function marker(point, options) {
    return L.circleMarker([point.lat, point.lon], Object.assign({
      radius: 5.5,
      color: "#ffffff",
      weight: 1.2,
      fillColor: COLOURS[point.category] || COLOURS.open,
      fillOpacity: 0.85
    }, options));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // The claims at one position: each with its link, date and finding (built as DOM nodes: refs
  // and places are free text).
  function popupContent(group, data, urlOf) {
    var box = el("div", "map-popup");
    var first = group[0];
    var heading = group.length === 1 ? first.place
      : first.place + ": " + group.length.toLocaleString("en-GB") + " claims";
    box.appendChild(el("p", "map-popup__place", heading));
    var list = el("ul", "map-popup__list" + (group.length > 6 ? " map-popup__list--long" : ""));
    group.forEach(function (point) {
      var item = el("li");
      var link = el("a", "map-popup__ref", point.ref);
      link.href = urlOf(point);
      item.appendChild(link);
      item.appendChild(el("span", "map-popup__date", " · " + point.date));
      var finding = el("span", "map-popup__finding");
      var swatch = el("span", "swatch swatch--" + point.category);
      swatch.setAttribute("aria-hidden", "true");
      finding.appendChild(swatch);
      finding.appendChild(document.createTextNode(" " + data.labels[point.category]));
      item.appendChild(finding);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function describe(group, data) {
    if (group.length === 1) {
      var p = group[0];
      return p.ref + ", " + p.place + ", " + p.date + ": " + data.labels[p.category];
    }
    var counts = {};
    group.forEach(function (point) { counts[point.category] = (counts[point.category] || 0) + 1; });
    var parts = CATEGORIES.filter(function (c) { return counts[c]; })
      .map(function (c) { return counts[c] + " " + data.labels[c].toLowerCase(); });
    return group[0].place + ": " + group.length + " claims (" + parts.join(", ") + ")";
  }

  // Circle markers are SVG paths, which Leaflet leaves out of the tab order: make the top one of
  // each position a button that opens its popup with Enter or Space.
  function focusable(layer, label) {
    var path = layer.getElement();
    if (!path) { return; }
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", label);
    path.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        layer.openPopup();
      }
    });
  }

  function claimsMap(element) {
    var data = JSON.parse(document.getElementById("map-points").textContent);
    var map = createMap(element, {});
    drawBoundaries(map, element);
    var layer = L.featureGroup().addTo(map);
    function urlOf(point) {
      return element.dataset.claimUrl.replace("__REF__", encodeURIComponent(point.ref));
    }
    function keyOf(point) { return point.lat + "," + point.lon; }
    var groups = {}; // position -> the claims reported there
    data.points.forEach(function (point) {
      (groups[keyOf(point)] = groups[keyOf(point)] || []).push(point);
    });
    var top = {}; // position -> its last drawn (top) circle
    data.points.forEach(function (point) {
      var group = groups[keyOf(point)];
      var circle = marker(point).bindPopup(function () {
        return popupContent(group, data, urlOf);
      }, { maxWidth: 320 });
      circle.on("popupopen", function (event) {
        var link = event.popup.getElement().querySelector("a.map-popup__ref");
        if (link && document.activeElement && document.activeElement.tagName === "path") {
          link.focus();
        }
      });
      circle.addTo(layer);
      top[keyOf(point)] = circle;
    });
    Object.keys(top).forEach(function (key) { focusable(top[key], describe(groups[key], data)); });
    element.classList.add("is-ready");
  }

  window.claimsMap = {
    colours: COLOURS,
    createMap: createMap,
    drawBoundaries: drawBoundaries,
    marker: marker
  };

  var element = document.getElementById("claims-map");
  if (element && window.L) { claimsMap(element); }
})();
