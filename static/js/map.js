/* The claims map (/map/) and the helpers the incident page's small map shares (claimsMap).
   Leaflet over our own GeoJSON boundaries of Iraq and Syria: no tile layer, nothing fetched from
   another server.

   The page embeds no claim. For the area in view the script asks the server (/map/clusters/,
   with the page's filters: the API's, so the map, the list and the downloads agree) for the
   claims grouped on a grid whose cells are a fixed number of pixels wide at the zoom; the answer
   is as small with 30,000 claims as with 30 (claims/map.py). Each group is one circle: the
   number of its claims, a ring in the colours of their findings, one tab stop with its counts in
   words. Selecting it lists its claims ten at a time (/map/claims/, its extent as `bbox`). */
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
  // The page's language: its words (claims/map.py map_words, translated on the server), the
  // digits of its numbers (<html data-number-locale>, settings.ARABIC_DIGITS) and its plurals.
  var root = document.documentElement;
  var IS_RTL = root.dir === "rtl";
  var LOCALE = root.dataset.numberLocale || "en-GB";
  var RULES = new Intl.PluralRules(root.lang || "en-GB");
  var wordsElement = document.getElementById("map-words");
  var WORDS = wordsElement ? JSON.parse(wordsElement.textContent) : {};

  function num(n) { return n.toLocaleString(LOCALE); }

  // "%(name)s" placeholders filled from `values`.
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  }

  function createMap(element, options) {
    element.textContent = ""; // the no-JavaScript message
    var map = L.map(element, Object.assign({
      attributionControl: false,
      zoomControl: false,
      zoomSnap: 0.25,
      minZoom: 4,
      maxZoom: 14
    }, options));
    // A map given its own view (the incident page) starts there: a second, animated change of
    // view would leave the outlines, added when they arrive, drawn for the first one.
    if (!options || !options.center) { map.fitBounds(REGION); }
    // The zoom buttons where the reading starts: top left, top right in Arabic.
    L.control.zoom({ position: IS_RTL ? "topright" : "topleft" }).addTo(map);
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
          var names = WORDS.countries || {};
          layer.bindTooltip(names[feature.properties.country] || feature.properties.name, {
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

  // "1 claim", "12 claims" in the page's language (`key`: "claims" or "groups").
  function plural(count, key) {
    var forms = WORDS[key];
    return fill(forms[RULES.select(count)] || forms.other, { n: num(count) });
  }

  // The cluster's findings in words: "1 credible, 2 open: not yet assessed, or reopened".
  function countsText(cluster, labels) {
    return CATEGORIES.filter(function (c) { return cluster.counts[c]; }).map(function (c) {
      return num(cluster.counts[c]) + " " + labels[c].toLowerCase();
    }).join(WORDS.separator);
  }

  function placeOf(cluster) {
    return cluster.place || fill(WORDS.near, {
      lat: Math.abs(cluster.lat).toFixed(2), ns: cluster.lat < 0 ? WORDS.south : WORDS.north,
      lon: Math.abs(cluster.lon).toFixed(2), ew: cluster.lon < 0 ? WORDS.west : WORDS.east
    });
  }

  function describe(cluster, labels) {
    return placeOf(cluster) + ": " + plural(cluster.count, "claims") + " (" +
      countsText(cluster, labels) + ")";
  }

  // A circle whose ring shows the share of each finding (a conic gradient in the outcome
  // colours) around the number of claims. Styles set through the DOM (the CSP allows no inline
  // style attribute).
  function clusterIcon(cluster) {
    var size = cluster.count === 1 ? 16 : Math.round(26 + 7 * Math.log10(cluster.count));
    var box = el("div", "map-cluster" + (cluster.count === 1 ? " map-cluster--one" : ""));
    var stops = [];
    var done = 0;
    CATEGORIES.forEach(function (c) {
      var share = (cluster.counts[c] || 0) / cluster.count * 100;
      if (share) {
        stops.push(COLOURS[c] + " " + done + "% " + (done + share) + "%");
        done += share;
      }
    });
    box.style.width = box.style.height = size + "px";
    box.style.background = "conic-gradient(" + stops.join(", ") + ")";
    box.appendChild(el("span", "map-cluster__count", num(cluster.count)));
    return L.divIcon({ html: box, className: "map-cluster-icon", iconSize: [size, size] });
  }

  function withQuery(url, query) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + query;
  }

  // The popup of a cluster: its findings counted, then its claims ten at a time (fetched from
  // /map/claims/ with the cluster's extent as `bbox`), a link to the same claims in the list,
  // and, where they are spread out, a button that zooms to them.
  function clusterPopup(cluster, context) {
    var labels = context.labels;
    var box = el("div", "map-popup");
    box.appendChild(el("p", "map-popup__place",
      placeOf(cluster) + ": " + plural(cluster.count, "claims")));
    var counts = el("ul", "map-popup__counts");
    CATEGORIES.filter(function (c) { return cluster.counts[c]; }).forEach(function (c) {
      var item = el("li");
      var swatch = el("span", "swatch swatch--" + c);
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + labels[c] + " " + num(cluster.counts[c])));
      counts.appendChild(item);
    });
    box.appendChild(counts);
    var list = el("ul", "map-popup__list map-popup__list--long");
    box.appendChild(list);
    var pager = el("div", "map-popup__pager");
    var previous = el("button", "map-popup__previous", WORDS.previous);
    var status = el("span", "map-popup__status");
    var next = el("button", "map-popup__next", WORDS.next);
    previous.type = next.type = "button";
    status.setAttribute("aria-live", "polite");
    pager.appendChild(previous);
    pager.appendChild(status);
    pager.appendChild(next);
    box.appendChild(pager);
    var more = el("p", "map-popup__more");
    var all = el("a", "", fill(WORDS.all_here, { claims: plural(cluster.count, "claims") }));
    more.appendChild(all);
    box.appendChild(more);
    var spread = cluster.bbox[0] !== cluster.bbox[2] || cluster.bbox[1] !== cluster.bbox[3];
    if (spread && context.map.getZoom() < context.map.getMaxZoom()) {
      var zoom = el("button", "map-popup__zoom", WORDS.zoom_in);
      zoom.type = "button";
      zoom.addEventListener("click", function () {
        context.map.closePopup();
        context.map.fitBounds([[+cluster.bbox[1], +cluster.bbox[0]],
          [+cluster.bbox[3], +cluster.bbox[2]]], { padding: [40, 40], maxZoom: 14 });
      });
      box.appendChild(zoom);
    }

    var page = 1;
    var pages = 1;
    function show(number, focus) {
      var url = withQuery(context.claimsUrl, "bbox=" + cluster.bbox.join(",") + "&page=" + number);
      status.textContent = WORDS.loading;
      list.setAttribute("aria-busy", "true");
      return getJSON(url).then(function (data) {
        page = data.page;
        pages = data.pages;
        list.textContent = "";
        data.claims.forEach(function (claim) {
          var item = el("li");
          var link = el("a", "map-popup__ref", claim.ref);
          link.dir = "ltr"; // a ref reads left to right in an Arabic popup too
          link.setAttribute("translate", "no");
          link.href = context.claimUrl.replace("__REF__", encodeURIComponent(claim.ref));
          item.appendChild(link);
          item.appendChild(el("span", "map-popup__date", " · " + claim.date));
          var finding = el("span", "map-popup__finding");
          var swatch = el("span", "swatch swatch--" + claim.category);
          swatch.setAttribute("aria-hidden", "true");
          finding.appendChild(swatch);
          // The place, where the cluster's claims are in several.
          finding.appendChild(document.createTextNode(" " + labels[claim.category] +
            (cluster.place ? "" : WORDS.separator + claim.place)));
          item.appendChild(finding);
          list.appendChild(item);
        });
        var first = (page - 1) * data.page_size + 1;
        status.textContent = data.count === 1 ? "" : fill(WORDS.range, {
          first: num(first), last: num(first + data.claims.length - 1), count: num(data.count)
        });
        pager.hidden = pages === 1;
        previous.disabled = page === 1;
        next.disabled = page === pages;
        all.href = data.list_url;
        // Leaflet re-inserts the content to lay it out, which drops the focus: focus after.
        context.popup.update();
        list.setAttribute("aria-busy", "false");
        if (focus === "first") {
          var link = list.querySelector("a");
          if (link) { link.focus(); }
        } else if (focus) { // the button pressed, or the other one once it is disabled
          (focus.disabled ? (focus === next ? previous : next) : focus).focus();
        }
      }).catch(function (error) {
        status.textContent = WORDS.not_loaded;
        list.setAttribute("aria-busy", "false");
        if (window.console) { console.error(error); }
      });
    }
    previous.addEventListener("click", function () { show(page - 1, previous); });
    next.addEventListener("click", function () { show(page + 1, next); });
    return { element: box, show: show };
  }

  function claimsMap(element) {
    var labels = JSON.parse(document.getElementById("map-labels").textContent);
    var map = createMap(element, {});
    drawBoundaries(map, element);
    var layer = L.layerGroup().addTo(map);
    var statusLine = document.getElementById("map-status");
    var cache = {};
    var shownUrl = null;
    var latest = null;
    var popupOpen = false;

    // The cells of the server's grid are data-cell-pixels wide at a whole zoom (claims/map.py):
    // the view asked for is snapped to them, so small moves ask (and cache) the same address.
    var cellPixels = parseFloat(element.dataset.cellPixels);
    function clustersUrl() {
      var zoom = Math.round(map.getZoom());
      var size = 360 * cellPixels / (256 * Math.pow(2, zoom));
      var bounds = map.getBounds().pad(0.1);
      function snap(value, up, limit) {
        var edge = (up ? Math.ceil : Math.floor)((value + 180) / size) * size - 180;
        return Math.max(-limit, Math.min(limit, edge)).toFixed(4);
      }
      var view = [
        snap(bounds.getWest(), false, 180), snap(bounds.getSouth(), false, 90),
        snap(bounds.getEast(), true, 180), snap(bounds.getNorth(), true, 90)
      ].join(",");
      return withQuery(element.dataset.clustersUrl, "zoom=" + zoom + "&view=" + view);
    }

    function draw(data) {
      layer.clearLayers();
      var total = 0;
      data.clusters.forEach(function (cluster) {
        total += cluster.count;
        var label = describe(cluster, labels);
        var point = L.marker([cluster.lat, cluster.lon], {
          icon: clusterIcon(cluster), keyboard: true, riseOnHover: true
        });
        var context = {
          map: map, labels: labels, claimsUrl: element.dataset.claimsUrl,
          claimUrl: element.dataset.claimUrl
        };
        var content = clusterPopup(cluster, context);
        context.popup = L.popup({
          maxWidth: 340, minWidth: 240,
          // clear of the zoom buttons (on the right in an Arabic page: site.css)
          autoPanPaddingTopLeft: IS_RTL ? [10, 10] : [50, 10],
          autoPanPaddingBottomRight: IS_RTL ? [50, 10] : [10, 10]
        }).setContent(content.element);
        point.bindPopup(context.popup);
        point.on("popupopen", function () {
          var byKeyboard = document.activeElement === point.getElement();
          content.show(1, byKeyboard ? "first" : null);
        });
        point.addTo(layer);
        var icon = point.getElement();
        icon.setAttribute("role", "button");
        icon.setAttribute("aria-label", label);
        icon.removeAttribute("title");
        // Leaflet opens the popup on Enter (and would close it again if we did too): Space
        // as well, as for any button.
        icon.addEventListener("keydown", function (event) {
          if (event.key === " ") {
            event.preventDefault();
            point.openPopup();
          }
        });
      });
      statusLine.textContent = data.clusters.length
        ? fill(WORDS.in_view, { claims: plural(total, "claims"),
          groups: plural(data.clusters.length, "groups") })
        : WORDS.none_in_view;
      element.classList.add("is-ready");
    }

    // Redrawing removes the markers, and with them an open popup: while one is open the map is
    // not redrawn (an answer that arrives then waits in `cache`), and it is when the popup closes.
    function load() {
      if (popupOpen) { return; }
      var url = clustersUrl();
      latest = url; // also when it is already shown: an answer still on its way is then stale
      if (url === shownUrl) { return; }
      // The answer, or the request on its way (asked once however often the view comes back).
      cache[url] = cache[url] || getJSON(url);
      cache[url].then(function (data) {
        // The map moved on, a popup opened, or an earlier call drew this answer already.
        if (url !== latest || popupOpen || url === shownUrl) { return; }
        shownUrl = url;
        draw(data);
      }).catch(function (error) {
        delete cache[url]; // asked again next time
        statusLine.textContent = WORDS.not_loaded;
        if (window.console) { console.error(error); }
      });
    }

    map.on("popupopen", function () { popupOpen = true; });
    map.on("popupclose", function () { popupOpen = false; load(); });
    map.on("moveend", load);
    load();
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
