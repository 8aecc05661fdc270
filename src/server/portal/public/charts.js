// Charts of a destination's statistics (Destination.stats: totals and a series of buckets),
// drawn as inline SVG: no library, nothing from the internet.
import { el, ms, percent } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 48;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

const title = (text) => svg('title', {}, text);
const bucketTime = (start) => new Date(start).toLocaleString();

function frame(kind, label, ...children) {
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, 'data-chart': kind }, ...children);
}

/** One bar per bucket, as tall as its success rate; a bucket without attempts has none. */
export function successRateChart(series) {
  const step = WIDTH / Math.max(series.length, 1);
  const bars = series.map((bucket, i) => {
    if (!bucket.attempts) return svg('rect', { x: i * step, y: HEIGHT - 1, width: Math.max(step - 1, 0.5), height: 1, class: 'empty' });
    const rate = bucket.successes / bucket.attempts;
    const height = Math.max(rate * HEIGHT, 1);
    return svg(
      'rect',
      {
        x: i * step,
        y: HEIGHT - height,
        width: Math.max(step - 1, 0.5),
        height,
        class: rate === 1 ? 'ok' : rate >= 0.9 ? 'warn' : 'bad',
        'data-bucket': bucket.start,
      },
      title(`${bucketTime(bucket.start)}: ${percent(rate)} of ${bucket.attempts}`),
    );
  });
  return frame('success-rate', 'success rate per bucket', ...bars);
}

/** The p50 and p95 latency of each bucket as two lines, scaled to the highest p95; gaps where no attempt was made. */
export function latencyChart(series) {
  const top = Math.max(1, ...series.map((b) => b.p95Ms ?? 0));
  const step = WIDTH / Math.max(series.length, 1);
  const line = (field, kind) => {
    const segments = [];
    let current = [];
    series.forEach((bucket, i) => {
      const value = bucket[field];
      if (value === null || value === undefined) {
        if (current.length) segments.push(current);
        current = [];
        return;
      }
      current.push([(i + 0.5) * step, HEIGHT - (value / top) * (HEIGHT - 2) - 1]);
    });
    if (current.length) segments.push(current);
    // A lone point is drawn as a short dash across its bucket, so it shows.
    const dash = ([x, y]) => [
      [x - step / 3, y],
      [x + step / 3, y],
    ];
    return segments.map((points) =>
      svg('polyline', {
        points: (points.length > 1 ? points : dash(points[0])).map(([x, y]) => `${x},${y}`).join(' '),
        class: kind,
        'vector-effect': 'non-scaling-stroke',
      }),
    );
  };
  return frame('latency', `latency p50 and p95, up to ${ms(top)}`, ...line('p95Ms', 'p95'), ...line('p50Ms', 'p50'), title(`highest p95: ${ms(top)}`));
}

/** Totals and both charts of one range. */
export function statsView(stats, rangeLabel) {
  return el(
    'div',
    { class: 'stats', 'data-range': rangeLabel },
    el(
      'div',
      { class: 'stats-totals' },
      el('span', { class: 'success-rate' }, percent(stats.successRate)),
      ` success · ${stats.attempts} attempts · p50 ${ms(stats.p50Ms)} · p95 ${ms(stats.p95Ms)}`,
    ),
    el('div', { class: 'chart' }, el('small', {}, 'success rate'), successRateChart(stats.series)),
    el('div', { class: 'chart' }, el('small', {}, 'latency p50 / p95'), latencyChart(stats.series)),
  );
}
