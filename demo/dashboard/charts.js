// A small time-series line chart on <canvas>, written for this page (no
// chart library, no CDN). It keeps the last `capacity` points and redraws
// everything on each push; a few hundred points cost well under a
// millisecond. `canvas.dataset.points` counts the points pushed, so a test
// can see the chart move.

const GRID = '#253140';
const AXIS_TEXT = '#8a96a3';

export class LineChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ series: { key: string, label: string, color: string, dashed?: boolean }[], capacity?: number, minimumMax?: number, integers?: boolean, format?: (value: number) => string }} options
   */
  constructor(canvas, options) {
    this.canvas = canvas;
    this.series = options.series;
    this.capacity = options.capacity ?? 120;
    this.minimumMax = options.minimumMax ?? 1;
    this.integers = options.integers ?? false;
    this.format = options.format ?? ((value) => formatNumber(value));
    this.points = [];
    this.pushed = 0;
    canvas.dataset.points = '0';
  }

  /** Adds one sample, `{ [seriesKey]: number }`, and redraws. */
  push(values) {
    this.points.push(values);
    if (this.points.length > this.capacity) this.points.shift();
    this.pushed++;
    this.canvas.dataset.points = String(this.pushed);
    this.canvas.dataset.latest = JSON.stringify(values);
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);

    const plot = { left: 44, right: width - 8, top: 22, bottom: height - 18 };
    let max = this.minimumMax;
    for (const point of this.points) for (const series of this.series) max = Math.max(max, point[series.key] ?? 0);
    // Four gridline steps; a small whole-number chart (2 workers) gets one per unit.
    const ticks = this.integers && max < 4 ? Math.max(1, Math.ceil(max)) : 4;
    const step = niceStep(max / ticks, this.integers);
    max = step * ticks;

    context.font = '11px system-ui, sans-serif';
    context.textBaseline = 'middle';
    for (let tick = 0; tick <= ticks; tick++) {
      const value = tick * step;
      const y = plot.bottom - ((plot.bottom - plot.top) * tick) / ticks;
      context.strokeStyle = GRID;
      context.lineWidth = 1;
      context.beginPath();
      context.moveTo(plot.left, y);
      context.lineTo(plot.right, y);
      context.stroke();
      context.fillStyle = AXIS_TEXT;
      context.textAlign = 'right';
      context.fillText(this.format(value), plot.left - 6, y);
    }
    context.textAlign = 'left';
    context.fillText(`last ${String(this.capacity)} samples`, plot.left, height - 7);

    const xOf = (index) => plot.left + ((plot.right - plot.left) * (index + this.capacity - this.points.length)) / (this.capacity - 1);
    const yOf = (value) => plot.bottom - ((plot.bottom - plot.top) * Math.min(value, max)) / max;
    let legendX = plot.left;
    for (const series of this.series) {
      context.strokeStyle = series.color;
      context.lineWidth = 2;
      context.setLineDash(series.dashed ? [5, 4] : []);
      context.beginPath();
      this.points.forEach((point, index) => {
        const y = yOf(point[series.key] ?? 0);
        if (index === 0) context.moveTo(xOf(index), y);
        else context.lineTo(xOf(index), y);
      });
      context.stroke();
      context.setLineDash([]);
      const latest = this.points.at(-1)?.[series.key];
      const legend = `${series.label} ${latest === undefined ? '–' : this.format(latest)}`;
      context.fillStyle = series.color;
      context.fillRect(legendX, 7, 10, 3);
      context.fillStyle = '#e6e9ee';
      context.fillText(legend, legendX + 14, 9);
      legendX += context.measureText(legend).width + 28;
    }
  }
}

export function formatNumber(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)}k`;
  if (value >= 100 || Number.isInteger(value)) return String(Math.round(value));
  if (value >= 10) return value.toFixed(1);
  return String(Number(value.toFixed(2)));
}

/** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `value` (whole numbers only if asked). */
function niceStep(value, integers) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    const step = factor * magnitude;
    if (step >= value && (!integers || Number.isInteger(step))) return step;
  }
  return Math.max(1, 10 * magnitude);
}
