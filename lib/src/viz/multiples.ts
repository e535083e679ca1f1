/**
 * Small multiples of charts: several one-axis figures (e.g. the same chart at fixed training steps) as the
 * panels of ONE figure, in a grid, each under its own title, with shared axis titles and one legend, so that
 * a static picture shows an evolution that a live chart shows only while it runs.
 */
import { AnimationFrame } from './animation';
import { Figure, Trace } from './figure';

export interface SmallMultiplesOptions {
  title: string;
  /** Panels per row (default 3). */
  columns?: number;
  /** Pixel height of one row of panels (default 230). */
  rowHeight?: number;
  /** The y range of every panel (default: plotly's autorange, the same for all panels, so that they compare). */
  yRange?: [number, number];
}

const textOf = (v: unknown): string => {
  const t = (v as { text?: unknown } | undefined)?.text;
  return typeof t === 'string' ? t : '';
};

/** The figures as panels of one figure (their own titles above them; each must have one x and one y axis). */
export function smallMultiples(figures: readonly Figure[], options: SmallMultiplesOptions): Figure {
  if (!Array.isArray(figures) || figures.length === 0) throw new Error('smallMultiples: give at least one figure');
  if (typeof options?.title !== 'string' || options.title.trim() === '')
    throw new Error('smallMultiples: options.title is required');
  const columns = options.columns ?? 3;
  if (!Number.isInteger(columns) || columns < 1)
    throw new Error(`smallMultiples: columns must be a positive integer, got ${columns}`);
  figures.forEach((f, i) => {
    if (Object.keys(f.layout).some((k) => /^[xy]axis\d+$/.test(k)))
      throw new Error(`smallMultiples: figure ${i} has more than one x or y axis; give one-axis figures`);
  });
  const rows = Math.ceil(figures.length / columns);
  const rowHeight = options.rowHeight ?? 230;
  const gapX = 0.06;
  const gapY = 0.5 / (rows * 4 + 1) + 0.12 / rows;
  const width = (1 - gapX * (columns - 1)) / columns;
  const height = (1 - gapY * (rows - 1)) / rows;
  const { yRange } = options;
  const data: Trace[] = [];
  const total = rows * rowHeight + 140;
  // from the top: the title, the legend (one row, 40 px down), then the panels' titles and the panels
  const layout: { [k: string]: unknown } = {
    title: { text: options.title, yref: 'container', y: 1 - 12 / total, yanchor: 'top' },
    height: total,
    margin: { l: 60, r: 20, t: 110, b: 60 },
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1 - 42 / total, yanchor: 'top', yref: 'container' },
    annotations: [] as unknown[],
  };
  figures.forEach((fig, i) => {
    const n = i + 1;
    const [row, col] = [Math.floor(i / columns), i % columns];
    const x0 = col * (width + gapX);
    const y1 = 1 - row * (height + gapY);
    const fl = fig.layout as { xaxis?: { [k: string]: unknown }; yaxis?: { [k: string]: unknown }; title?: unknown };
    const suffix = n === 1 ? '' : String(n);
    for (const t of fig.data) {
      const panel: Trace = {
        ...t,
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        showlegend: i === 0 && t.showlegend !== false,
      };
      // a heat map's colour scale once, beside the figure: the panels share it (give them the same zmin and zmax)
      if (t.type === 'heatmap') panel.showscale = i === 0 && t.showscale !== false;
      data.push(panel);
    }
    const lastRow = row === rows - 1 || i + columns >= figures.length;
    layout[`xaxis${suffix}`] = {
      ...fl.xaxis,
      anchor: `y${suffix}`,
      domain: [x0, x0 + width],
      title: lastRow ? fl.xaxis?.title : undefined,
      automargin: true,
    };
    layout[`yaxis${suffix}`] = {
      ...fl.yaxis,
      // a panel that keeps its aspect ratio (a picture of the plane) keeps it against its own x axis
      ...(fl.yaxis?.scaleanchor === 'x' ? { scaleanchor: `x${suffix}` } : {}),
      anchor: `x${suffix}`,
      domain: [y1 - height, y1],
      // one y title, left of the middle row: a title on every row would run into the next row's
      title: col === 0 && row === Math.floor((rows - 1) / 2) ? fl.yaxis?.title : undefined,
      automargin: true,
      ...(yRange ? { range: yRange, autorange: false } : { range: undefined, autorange: true }),
      ...(n > 1 ? { matches: 'y' } : {}),
    };
    (layout.annotations as unknown[]).push({
      text: textOf(fl.title),
      xref: 'paper',
      yref: 'paper',
      x: x0 + width / 2,
      y: y1,
      xanchor: 'center',
      yanchor: 'bottom',
      showarrow: false,
      font: { size: 13 },
    });
    if (fl.xaxis?.type === undefined && fig.layout.barmode) layout.barmode = fig.layout.barmode;
  });
  return { data, layout };
}

/**
 * An animation's frames as small multiples: `panels` frames evenly spaced from the first to the last, each
 * panel titled by its frame's label ('step 500') and drawn in the first frame's y range (unless `yRange`
 * says otherwise), so that a reader of the static picture sees the run that the slider plays.
 */
export function framesAsMultiples(
  frames: readonly AnimationFrame[],
  options: SmallMultiplesOptions & { panels?: number },
): Figure {
  const { panels = 6, ...rest } = options;
  if (!Array.isArray(frames) || frames.length === 0) throw new Error('framesAsMultiples: give at least one frame');
  if (!Number.isInteger(panels) || panels < 1)
    throw new Error(`framesAsMultiples: panels must be a positive integer, got ${panels}`);
  const n = Math.min(panels, frames.length);
  const chosen = Array.from(
    { length: n },
    (_, i) => frames[n === 1 ? 0 : Math.round((i * (frames.length - 1)) / (n - 1))],
  );
  // the frames' own y range, as the animation shows them (a picture of the plane keeps its grid's extent)
  const own = (chosen[0].figure.layout as { yaxis?: { range?: [number, number] } }).yaxis?.range;
  return smallMultiples(
    chosen.map((f) => ({ ...f.figure, layout: { ...f.figure.layout, title: { text: f.label } } })),
    { yRange: own, ...rest },
  );
}
