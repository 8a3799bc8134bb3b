// Every visible label's box (point and bar texts, annotations) against every target line's box
// and every other label's; a target line's own label sits on its line and is only checked
// against the other labels; the x-axis title against the year labels; the legend against the
// chart's right edge; the x-axis title against the source line; a target line's label against
// the data (markers and lines). Returns the collisions found, as text. Read by test_chart_labels.py.
() => {
  const problems = [];
  const overlap = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const shown = el => el.getBoundingClientRect().width > 0 && getComputedStyle(el).display !== 'none';
  for (const chart of document.querySelectorAll('.chart.drawn')) {
    const notes = chart.layout.annotations || [];
    const lines = [...chart.querySelectorAll('.shapelayer path')].map(el => el.getBoundingClientRect());
    const labels = [];
    for (const el of chart.querySelectorAll('.scatterlayer .textpoint, .barlayer .bartext')) {
      if (shown(el)) labels.push({text: el.textContent, box: el.getBoundingClientRect(), target: false});
    }
    for (const el of chart.querySelectorAll('g.annotation[data-index]')) {
      const name = (notes[Number(el.dataset.index)] || {}).name || '';
      const text = el.querySelector('.annotation-text-g') || el;
      if (shown(text)) {
        labels.push({text: el.textContent, box: text.getBoundingClientRect(), target: name.startsWith('target:')});
      }
    }
    const title = chart.querySelector('.g-xtitle');
    for (const tick of chart.querySelectorAll('.xtick text')) {
      if (title && overlap(title.getBoundingClientRect(), tick.getBoundingClientRect())) {
        problems.push(`${chart.id}: the x-axis title on "${tick.textContent}"`);
      }
    }
    const legend = chart.querySelector('.legend');
    if (legend && legend.getBoundingClientRect().right > chart.getBoundingClientRect().right + 1) {
      problems.push(`${chart.id}: the legend runs past the chart's right edge`);
    }
    const sourceIndex = notes.findIndex(note => note.name === 'source');
    const source = chart.querySelector(`g.annotation[data-index="${sourceIndex}"]`);
    if (title && source && overlap(title.getBoundingClientRect(), source.getBoundingClientRect())) {
      problems.push(`${chart.id}: the x-axis title on the source line`);
    }
    // The data drawn: every marker, and points every 3 px along every line.
    const data = [...chart.querySelectorAll('.scatterlayer .point')].map(el => el.getBoundingClientRect());
    for (const path of chart.querySelectorAll('.scatterlayer .js-line')) {
      const matrix = path.getScreenCTM();
      const length = path.getTotalLength();
      for (let at = 0; matrix && at <= length; at += 3) {
        const point = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y)
          .matrixTransform(matrix);
        data.push({left: point.x - 1, right: point.x + 1, top: point.y - 1, bottom: point.y + 1});
      }
    }
    for (const label of labels.filter(label => label.target)) {
      if (data.some(box => overlap(label.box, box))) {
        problems.push(`${chart.id}: target label "${label.text}" on the data`);
      }
    }
    labels.forEach((label, index) => {
      if (!label.target && lines.some(line => overlap(label.box, line))) {
        problems.push(`${chart.id}: "${label.text}" on a target line`);
      }
      for (const other of labels.slice(index + 1)) {
        if (overlap(label.box, other.box)) problems.push(`${chart.id}: "${label.text}" on "${other.text}"`);
      }
    });
  }
  return problems;
}
