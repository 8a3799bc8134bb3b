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
    // Room between the (rotated) year labels and the axis title.
    if (axis.title) axis.title = Object.assign({}, axis.title, { standoff: 12 });
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

  function valuesBesideBars(data, layout) {
    // A bar's value printed at its end runs into the target lines crossing the bars: write the
    // values in a column right of the plot instead, each on its bar's row (a faint line leads
    // from the bar to it).
    var notes = [];
    var size = window.innerWidth > 600 ? 12 : 10;
    var longest = 0;
    data.forEach(function (trace) {
      if (trace.type !== "bar" || trace.orientation !== "h" || !trace.text) return;
      if (trace.textposition !== "outside") return;
      trace.y.forEach(function (row, index) {
        var text = trace.text[index];
        longest = Math.max(longest, text.length);
        notes.push({
          text: text,
          xref: "paper",
          x: 1,
          xanchor: "left",
          xshift: 4,
          yref: "y",
          y: row,
          showarrow: false,
          font: { size: size },
          name: "value",
        });
      });
      trace.textposition = "none";
    });
    if (!notes.length) return;
    layout.annotations = (layout.annotations || []).concat(notes);
    layout.margin = Object.assign({}, layout.margin);
    layout.margin.r = Math.max(layout.margin.r || 0, Math.ceil(longest * size * 0.62) + 12);
    layout.yaxis = Object.assign({}, layout.yaxis, { showgrid: true, gridcolor: "#e5e8ec" });
  }

  function boxesOverlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function padded(box, by) {
    return { left: box.left - by, right: box.right + by, top: box.top - by, bottom: box.bottom + by };
  }

  function declutter(element) {
    // Point labels of a crowded scatter overlap, on a phone most: keep the labels of the largest
    // values (x), hide any that would touch one kept. Every point keeps its tooltip and its row
    // in the data table.
    var labels = Array.prototype.slice.call(element.querySelectorAll(".scatterlayer .textpoint"));
    var value = function (label) {
      var point = label.__data__;
      return point && typeof point.x === "number" ? point.x : 0;
    };
    labels.sort(function (a, b) {
      return value(b) - value(a);
    });
    var kept = [];
    labels.forEach(function (label) {
      label.style.display = "";
      var box = label.getBoundingClientRect();
      if (!box.width) return;
      var around = padded(box, 2);
      var clash = kept.some(function (other) {
        return boxesOverlap(around, other);
      });
      if (clash) label.style.display = "none";
      else kept.push(box);
    });
  }

  function clearSource(element) {
    // Rotated year labels push the x-axis title down onto the source line below the plot
    // (phones most): move the source line under the title, taking the room from the plot.
    var notes = element.layout.annotations || [];
    var index = notes.findIndex(function (note) {
      return note.name === "source";
    });
    var title = element.querySelector(".g-xtitle");
    var source = element.querySelector('g.annotation[data-index="' + index + '"]');
    if (index < 0 || !title || !source || !title.getBoundingClientRect().height) return null;
    var gap = Math.ceil(title.getBoundingClientRect().bottom + 4 - source.getBoundingClientRect().top);
    if (gap <= 0) return null;
    var update = { "margin.b": element._fullLayout.margin.b + gap };
    update["annotations[" + index + "].yshift"] = (notes[index].yshift || 0) - gap;
    return window.Plotly.relayout(element, update);
  }

  function name(element) {
    // The drawing is one image named by the chart's title and description. The image is the
    // plot's SVG, not the chart's box: the box holds the toolbar's buttons too, and an image's
    // content is out of a keyboard's and a screen reader's reach. Plotly's other SVG layer
    // (hover labels) is left out.
    var layers = element.querySelectorAll("svg.main-svg");
    for (var i = 0; i < layers.length; i++) {
      if (i === 0) {
        layers[i].setAttribute("role", "img");
        layers[i].setAttribute("aria-label", element.getAttribute("data-image-label"));
      } else {
        layers[i].setAttribute("aria-hidden", "true");
      }
    }
  }

  function draw(element) {
    var data = document.getElementById(element.getAttribute("data-figure"));
    if (!data || !window.Plotly) return;
    var figure = JSON.parse(data.textContent);
    var layout = narrow(figure.layout);
    if (window.innerWidth <= 600) {
      // Long legend entries (an edition's full title) wrap instead of running off a phone.
      figure.data.forEach(function (trace) {
        if (trace.name && trace.name.length > 40) trace.name = wrap(trace.name, 40);
      });
    }
    valuesBesideBars(figure.data, layout);
    window.Plotly.react(element, figure.data, layout, CONFIG).then(function () {
      return clearSource(element);
    }).then(function () {
      declutter(element);
      name(element);
      if (!element.classList.contains("drawn")) element.on("plotly_afterplot", function () {
        declutter(element);
        name(element);
      });
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
