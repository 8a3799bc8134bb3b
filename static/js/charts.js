// Draws every chart of the page from the figure JSON the server embedded beside it
// (<script type="application/json">). The page's only script of ours: no inline code, so a
// Content-Security-Policy of script-src 'self' holds.
(function () {
  "use strict";
  // Only what works offline: a PNG (the figure carries its source line) and zoom reset. No
  // cloud button, and two toolbar stops for a keyboard, which the page's skip link passes over.
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    modeBarButtons: [["toImage", "resetScale2d"]],
    toImageButtonOptions: { format: "png", scale: 2 },
  };

  function wrap(text, width) {
    // Plotly does not wrap annotations: break the line at spaces with <br>.
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + word).length > width) lines.push(word);
      else lines[last] = lines[last] ? lines[last] + " " + word : word;
    });
    return lines.join("<br>");
  }

  function narrow(layout) {
    // Phones: the page's heading and source line above and below the chart stand in for the
    // figure's own, the legend sits above the plot, and fewer year ticks fit.
    if (window.innerWidth > 600) return layout;
    delete layout.title;
    // The source line stays, small, so a downloaded PNG still says where its numbers come from.
    layout.annotations = (layout.annotations || []).map(function (note) {
      if (note.name === "source") {
        return Object.assign({}, note, {
          text: wrap(note.text, 58),
          yshift: -50,
          font: Object.assign({}, note.font, { size: 9 }),
        });
      }
      var isTarget = note.name && note.name.indexOf("target:") === 0;
      return isTarget ? Object.assign({}, note, { text: note.name.slice(7) }) : note;
    });
    var right = layout.margin && layout.margin.r > 16 ? 56 : 8;
    layout.margin = Object.assign({}, layout.margin, { l: 44, r: right, t: 8, b: 92 });
    layout.font = Object.assign({}, layout.font, { size: 11 });
    layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } });
    var axis = layout.xaxis || {};
    if (axis.tickvals && axis.tickvals.length > 8) {
      var step = Math.ceil(axis.tickvals.length / 7);
      var keep = function (_, index) {
        return index % step === 0;
      };
      axis.tickvals = axis.tickvals.filter(keep);
      if (axis.ticktext) axis.ticktext = axis.ticktext.filter(keep);
    }
    return layout;
  }

  function draw(element) {
    var data = document.getElementById(element.getAttribute("data-figure"));
    if (!data || !window.Plotly) return;
    var figure = JSON.parse(data.textContent);
    window.Plotly.react(element, figure.data, narrow(figure.layout), CONFIG).then(function () {
      element.classList.add("drawn");
      // The data table stays one click away once the chart is there.
      var table = element.closest("figure").querySelector("details.chart-data");
      if (table) table.open = false;
    });
  }

  function drawAll() {
    var elements = document.querySelectorAll(".chart[data-figure]");
    for (var i = 0; i < elements.length; i++) draw(elements[i]);
  }

  // Crossing the phone breakpoint (a rotated phone, a resized window) redraws with the
  // matching layout; plain resizes are Plotly's own (responsive: true).
  var wasNarrow = window.innerWidth <= 600;
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      var isNarrow = window.innerWidth <= 600;
      if (isNarrow !== wasNarrow) {
        wasNarrow = isNarrow;
        drawAll();
      }
    }, 150);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
