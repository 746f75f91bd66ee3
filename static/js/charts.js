/* Draws the charts of the public pages with the vendored Chart.js (static/vendor/chart.js/).

   Progressive enhancement: each chart's numbers are in the table beside it, which is the
   content. Without JavaScript or Chart.js nothing is lost but the picture: the chart's box stays
   hidden and its table open.

   Markup (templates/reports/includes/home_chart.html):
     <div class="chart" hidden><canvas data-chart="ID-data" data-table="ID-table"></canvas></div>
     <script type="application/json" id="ID-data">{labels, gaps, datasets, axes}</script>
     <details id="ID-table" open>...</details>
   Each dataset: label, type ("bar" or "line"), colour (a CSS variable such as "--credible"),
   values, and optionally axis ("y2": the right-hand scale) and dashed. gaps: the indices of
   the points that stand for a run of months without records ("Aug 2019 – Oct 2026: no
   reports"), drawn as a shaded band. */
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }
  var style = window.getComputedStyle(document.documentElement);
  // Arabic pages read right to left: the months run from the right, the first scale is on the
  // right, legends and tooltips read right to left; the numbers are the same, written in the
  // digits of <html data-number-locale> (settings.ARABIC_DIGITS).
  var IS_RTL = document.documentElement.dir === "rtl";
  var LOCALE = document.documentElement.dataset.numberLocale || "en-GB";

  function colour(variable) {
    return style.getPropertyValue(variable).trim() || "#1b1f24";
  }

  function dataset(spec) {
    var line = spec.type === "line";
    return {
      type: spec.type,
      label: spec.label,
      data: spec.values,
      yAxisID: spec.axis || "y",
      // A line's legend box is its outline, dashed or not, so the two bounds tell apart.
      backgroundColor: line ? colour("--bg") : colour(spec.colour),
      borderColor: colour(spec.colour),
      borderWidth: line ? 2 : 0,
      borderDash: spec.dashed ? [6, 4] : [],
      pointRadius: 0,
      pointHitRadius: 6,
      // Lines are drawn over the bars.
      order: line ? 0 : 1
    };
  }

  function scale(title, side) {
    // side: "start" (the main scale) or "end"; the main one on the left, on the right in RTL.
    var position = (side === "start") !== IS_RTL ? "left" : "right";
    return {
      position: position,
      beginAtZero: true,
      title: { display: true, text: title },
      ticks: { precision: 0 },
      grid: { drawOnChartArea: side === "start" }
    };
  }

  // The axis jumps over a run of months at a gap: its band is shaded, so the jump shows even
  // where the axis skips the gap's label (the tooltip gives it).
  var gapBands = {
    id: "gapBands",
    beforeDatasetsDraw: function (chart, args, options) {
      var x = chart.scales.x;
      var area = chart.chartArea;
      var width = x.width / Math.max(chart.data.labels.length, 1);
      chart.ctx.save();
      chart.ctx.fillStyle = colour("--rule");
      chart.ctx.globalAlpha = 0.5;
      (options.gaps || []).forEach(function (index) {
        var left = x.getPixelForValue(index) - width / 2;
        chart.ctx.fillRect(left, area.top, width, area.bottom - area.top);
      });
      chart.ctx.restore();
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.labels.length) {
      return;
    }
    var scales = {
      x: {
        reverse: IS_RTL,
        ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16 },
        grid: { display: false }
      }
    };
    scales.y = scale(data.axes.y, "start");
    if (data.axes.y2) {
      scales.y2 = scale(data.axes.y2, "end");
    }
    canvas.parentElement.hidden = false;
    new window.Chart(canvas, {
      data: { labels: data.labels, datasets: data.datasets.map(dataset) },
      plugins: [gapBands],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: LOCALE,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          gapBands: { gaps: data.gaps || [] },
          tooltip: { rtl: IS_RTL, textDirection: IS_RTL ? "rtl" : "ltr" },
          legend: {
            position: "bottom",
            rtl: IS_RTL,
            textDirection: IS_RTL ? "rtl" : "ltr",
            // In the order of the table's columns (Chart.js would sort by drawing order).
            labels: {
              boxWidth: 24,
              sort: function (a, b) { return a.datasetIndex - b.datasetIndex; }
            }
          }
        }
      }
    });
    // The chart now shows the numbers; their table stays one click away.
    var table = document.getElementById(canvas.dataset.table);
    if (table) {
      table.open = false;
    }
  }

  window.Chart.defaults.font.family = (IS_RTL ? '"Noto Naskh Arabic", ' : "") +
    'system-ui, -apple-system, "Segoe UI", sans-serif';
  window.Chart.defaults.color = colour("--text");
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
