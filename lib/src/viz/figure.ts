/**
 * A small typed builder for plotly figures as plain JSON ({ data, layout }). Figures are data, not
 * drawings: they can be tested, saved next to a checkpoint, or drawn by showFigure in a notebook.
 * Titles and axis titles are required because every figure in the course must say what it shows.
 */
import { DEFAULT_GAN_LOSS, STEP_METRICS } from '../losses';
import type { DiscriminatorOutputMeaning, StepMetrics } from '../losses';

/** Numbers as plotly accepts them; typed arrays are converted to plain arrays (JSON would turn them into objects). */
export type Numbers = ArrayLike<number>;

/** One plotly trace. The named fields are the common ones; any other plotly attribute may be added. */
export interface Trace {
  type?: string;
  name?: string;
  x?: unknown;
  y?: unknown;
  z?: unknown;
  mode?: string;
  line?: { color?: string; width?: number; dash?: string; shape?: string };
  marker?: { color?: string; size?: number; opacity?: number; symbol?: string };
  showlegend?: boolean;
  [attribute: string]: unknown;
}

export interface Figure {
  data: Trace[];
  layout: { [attribute: string]: unknown };
}

export interface FigureOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Pixel height of the chart (default 380); the width follows the notebook. */
  height?: number;
  width?: number;
  xRange?: [number, number];
  yRange?: [number, number];
  logX?: boolean;
  logY?: boolean;
  /**
   * Title of a second y axis on the right, for traces with `yaxis: 'y2'` (it overlays the first). The legend
   * then goes under the plot, one entry a line, where it covers neither the curves nor the right axis (the
   * figure grows by its height).
   */
  y2Title?: string;
  y2Range?: [number, number];
  /** Further plotly layout attributes, merged last, objects one level deep (e.g. annotations, shapes, yaxis2). */
  layout?: { [attribute: string]: unknown };
}

/** Rounds to 6 significant digits: float32 values printed in full (0.10000000149011612) triple the JSON size. */
function plainNumber(v: number): number | null {
  if (!Number.isFinite(v)) return null; // plotly draws null as a gap; JSON has no NaN/Infinity
  return v === 0 ? 0 : Number(v.toPrecision(6));
}

/** Recursively copies typed arrays and array-likes of numbers into plain number arrays. */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, (v) => plainNumber(Number(v)));
  }
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? plainNumber(v) : plain(v)));
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'number' ? (plainNumber(v) ?? v) : plain(v);
    return out;
  }
  return value;
}

function requireText(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(
      `figure: ${what} is required (a non-empty string): every chart must say what it shows and in which units.`,
    );
  }
  return value;
}

/** Characters of a title line: about what a chart 480 px wide (the live view beside its samples) shows unclipped. */
export const TITLE_LINE_CHARS = 48;

/**
 * A title broken into lines of at most TITLE_LINE_CHARS (plotly never wraps a title: a long one runs past the
 * chart's edges), at the last ': ', then ', ', then space before the limit; a word longer than a line stays
 * whole. Returns the lines joined by <br> and how many there are (the top margin grows with them).
 */
export function wrapTitle(title: string, maxChars = TITLE_LINE_CHARS): { text: string; lines: number } {
  const lines: string[] = [];
  let rest = title.trim();
  while (rest.length > maxChars) {
    const head = rest.slice(0, maxChars + 1);
    const at = [': ', ', ', ' '].map((sep) => head.lastIndexOf(sep)).find((i) => i > 0) ?? rest.indexOf(' ');
    if (at <= 0) break;
    const cut = rest[at] === ' ' ? at : at + 1; // keep ':' or ',' on the line it ends
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return { text: lines.join('<br>'), lines: lines.length };
}

/** Extra top margin for a title of `lines` lines (plotly's 17 px title font: a line is about 22 px). */
const titleMargin = (lines: number) => 22 * (lines - 1);

/** Builds a figure from traces; title and axis titles are required. */
export function figure(data: Trace[], options: FigureOptions): Figure {
  if (!Array.isArray(data)) throw new Error('figure: data must be an array of traces (e.g. [lineTrace(x, y)]).');
  const title = requireText('options.title', options?.title);
  const xTitle = requireText('options.xTitle', options.xTitle);
  const yTitle = requireText('options.yTitle', options.yTitle);
  // automargin: plotly widens the margins to fit tick labels and axis titles, so neither is clipped
  const xaxis: { [k: string]: unknown } = { title: { text: xTitle }, zeroline: false, automargin: true };
  const yaxis: { [k: string]: unknown } = { title: { text: yTitle }, zeroline: false, automargin: true };
  if (options.xRange) xaxis.range = options.xRange;
  if (options.yRange) yaxis.range = options.yRange;
  if (options.logX) xaxis.type = 'log';
  if (options.logY) yaxis.type = 'log';
  const wrapped = wrapTitle(title);
  const top = 50 + titleMargin(wrapped.lines);
  const layout: { [k: string]: unknown } = {
    title: { text: wrapped.text },
    xaxis,
    yaxis,
    height: (options.height ?? 380) + titleMargin(wrapped.lines),
    margin: { l: 60, r: 20, t: top, b: 50 },
  };
  if (options.width) layout.width = options.width;
  if (options.y2Title !== undefined) {
    const yaxis2: { [k: string]: unknown } = {
      title: { text: requireText('options.y2Title', options.y2Title) },
      overlaying: 'y',
      side: 'right',
      zeroline: false,
      automargin: true,
    };
    if (options.y2Range) yaxis2.range = options.y2Range;
    layout.yaxis2 = yaxis2;
    // the legend as a list under the plot, one entry a line (about 20 px each), the figure taller by as much
    const entries = data.filter((t) => t.showlegend !== false).length;
    layout.legend = { orientation: 'v', x: 0, xanchor: 'left', y: 0, yanchor: 'bottom', yref: 'container' };
    layout.margin = { l: 60, r: 20, t: top, b: 70 + 20 * entries };
    layout.height = (options.height ?? 380) + titleMargin(wrapped.lines) + 20 * entries;
  }
  // One level deep, so that `layout: { yaxis: { range } }` keeps the axis title.
  const merged: { [k: string]: unknown } = { ...layout };
  for (const [k, v] of Object.entries(options.layout ?? {})) {
    const base = merged[k];
    const isObject = (o: unknown) => o !== null && typeof o === 'object' && !Array.isArray(o);
    merged[k] = isObject(base) && isObject(v) ? { ...(base as object), ...(v as object) } : v;
  }
  return { data: plain(data) as Trace[], layout: plain(merged) as Figure['layout'] };
}

export interface LineTraceOptions {
  name?: string;
  color?: string;
  dash?: 'solid' | 'dot' | 'dash' | 'dashdot' | 'longdash';
  width?: number;
  /** 'lines' (default), 'markers' or 'lines+markers'. */
  mode?: string;
}

/** A line (or markers) through the points (x[i], y[i]). */
export function lineTrace(x: Numbers, y: Numbers, options: LineTraceOptions = {}): Trace {
  if (x.length !== y.length)
    throw new Error(`lineTrace: x has ${x.length} values but y has ${y.length}; they must match.`);
  const t: Trace = { type: 'scatter', mode: options.mode ?? 'lines', x: Array.from(x), y: Array.from(y) };
  if (options.name !== undefined) t.name = options.name;
  const line: Trace['line'] = {};
  if (options.color) line.color = options.color;
  if (options.dash) line.dash = options.dash;
  if (options.width) line.width = options.width;
  if (Object.keys(line).length) t.line = line;
  return t;
}

/** Points (x[i], y[i]) as markers. */
export function scatterTrace(
  x: Numbers,
  y: Numbers,
  options: { name?: string; color?: string; size?: number; opacity?: number } = {},
): Trace {
  if (x.length !== y.length)
    throw new Error(`scatterTrace: x has ${x.length} values but y has ${y.length}; they must match.`);
  const t: Trace = {
    type: 'scatter',
    mode: 'markers',
    x: Array.from(x),
    y: Array.from(y),
    marker: { size: options.size ?? 4 },
  };
  if (options.name !== undefined) t.name = options.name;
  if (options.color) t.marker!.color = options.color;
  if (options.opacity !== undefined) t.marker!.opacity = options.opacity;
  return t;
}

/**
 * A histogram of samples. normalize 'density' makes the area 1, so it can be drawn over a pdf
 * (e.g. G's samples against p_data).
 */
export function histogramTrace(
  values: Numbers,
  options: {
    name?: string;
    color?: string;
    bins?: number;
    range?: [number, number];
    normalize?: 'count' | 'density' | 'probability';
    opacity?: number;
  } = {},
): Trace {
  const t: Trace = { type: 'histogram', x: Array.from(values), opacity: options.opacity ?? 0.6 };
  if (options.name !== undefined) t.name = options.name;
  if (options.color) t.marker = { color: options.color };
  const norm = options.normalize ?? 'count';
  if (norm === 'density') t.histnorm = 'probability density';
  else if (norm === 'probability') t.histnorm = 'probability';
  if (options.range || options.bins) {
    let lo = Infinity;
    let hi = -Infinity;
    if (options.range) [lo, hi] = options.range;
    else
      for (const v of t.x as number[]) {
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    const bins = options.bins ?? 40;
    t.xbins = { start: lo, end: hi, size: (hi - lo) / bins };
    t.autobinx = false;
  }
  return t;
}

/** A heatmap of z (rows = y values, columns = x values), e.g. D's output over the plane. */
export function heatmapTrace(
  x: Numbers,
  y: Numbers,
  z: Numbers[] | number[][],
  options: { name?: string; colorscale?: string; zmin?: number; zmax?: number; colorbarTitle?: string } = {},
): Trace {
  if (z.length !== y.length)
    throw new Error(`heatmapTrace: z has ${z.length} rows but y has ${y.length} values; one row per y value.`);
  const t: Trace = {
    type: 'heatmap',
    x: Array.from(x),
    y: Array.from(y),
    z: Array.from(z, (row) => Array.from(row)),
    colorscale: options.colorscale ?? 'Viridis',
  };
  if (options.name !== undefined) t.name = options.name;
  if (options.zmin !== undefined) t.zmin = options.zmin;
  if (options.zmax !== undefined) t.zmax = options.zmax;
  if (options.colorbarTitle) t.colorbar = { title: { text: options.colorbarTitle } };
  return t;
}

export interface Series {
  name: string;
  y: Numbers;
  /** Defaults to 0, 1, 2, … */
  x?: Numbers;
  color?: string;
  dash?: LineTraceOptions['dash'];
}

/** Several named lines on one chart. */
export function lineChart(series: Series[], options: FigureOptions): Figure {
  return figure(
    series.map((s) =>
      lineTrace(s.x ?? Array.from({ length: s.y.length }, (_, i) => i), s.y, {
        name: s.name,
        color: s.color,
        dash: s.dash,
      }),
    ),
    options,
  );
}

/** A histogram chart of one or more named samples (overlaid). */
export function histogram(
  samples: { name: string; values: Numbers; color?: string }[],
  options: FigureOptions & { bins?: number; range?: [number, number]; normalize?: 'count' | 'density' | 'probability' },
): Figure {
  const fig = figure(
    samples.map((s) =>
      histogramTrace(s.values, {
        name: s.name,
        color: s.color,
        bins: options.bins,
        range: options.range,
        normalize: options.normalize,
      }),
    ),
    options,
  );
  fig.layout.barmode = 'overlay';
  return fig;
}

/** A training run's numbers as columns (a TrainHistory is one): one entry per step. */
export type TrainingCurves = { step: Numbers; output?: DiscriminatorOutputMeaning } & {
  [K in keyof StepMetrics]: Numbers;
};
/** One step's numbers (what trainGan's onStep receives). */
export type TrainingRow = StepMetrics & { step: number };

export interface TrainingCurvesOptions {
  title?: string;
  /** Pixel height (default 420). */
  height?: number;
  /** The chart averages consecutive steps into at most this many points (default 500). */
  maxPoints?: number;
  /** What D's output means; default the history's own `output`, else the default loss's (a probability). */
  output?: DiscriminatorOutputMeaning;
}

/**
 * The training chart: D's and G's losses on top, mean D(x) and mean D(G(z)) below with their value at
 * equilibrium. Takes a TrainHistory as trainGan returns it (or the rows onStep saw); the lower axis is
 * labelled by what D's output means for the run's loss (a probability in [0, 1] for the minimax loss,
 * an unbounded score for least squares), which a TrainHistory records.
 */
export function trainingCurvesFigure(
  history: TrainingCurves | readonly TrainingRow[],
  options: TrainingCurvesOptions = {},
): Figure {
  const c = Array.isArray(history) ? rowsToCurves(history as readonly TrainingRow[]) : (history as TrainingCurves);
  if (!c || typeof c !== 'object' || !c.step || STEP_METRICS.some((k) => !c[k])) {
    throw new Error(
      'trainingCurvesFigure: pass a TrainHistory (what trainGan returns) or an array of { step, dLoss, gLoss, dReal, dFake }.',
    );
  }
  const n = c.step.length;
  for (const k of STEP_METRICS) {
    if (c[k].length !== n)
      throw new Error(`trainingCurvesFigure: ${k} has ${c[k].length} values but step has ${n}; one per step.`);
  }
  const output = options.output ?? c.output ?? DEFAULT_GAN_LOSS.output;
  const p = averageBuckets(c, options.maxPoints ?? 500);
  const wrapped = wrapTitle(options.title ?? 'Training: losses and discriminator outputs');
  const title = `${wrapped.text}<br><sup>${pointsNote(n, p.step.length)}</sup>`;
  const steps = p.step;
  const last = steps.length ? steps[steps.length - 1] : 1;
  const line = (name: string, y: number[], color: string, lower: boolean): Trace => ({
    type: 'scatter',
    mode: 'lines',
    name,
    x: steps,
    y,
    line: { color },
    ...(lower ? { xaxis: 'x2', yaxis: 'y2' } : {}),
  });
  const equilibrium = `D = ${output.equilibrium === 0.5 ? '1/2' : output.equilibrium} (equilibrium)`;
  return {
    data: plain([
      line('D loss', p.dLoss, '#1f77b4', false),
      line('G loss', p.gLoss, '#ff7f0e', false),
      line('mean D(x)', p.dReal, '#2ca02c', true),
      line('mean D(G(z))', p.dFake, '#d62728', true),
      {
        type: 'scatter',
        mode: 'lines',
        name: equilibrium,
        x: [steps[0] ?? 0, last],
        y: [output.equilibrium, output.equilibrium],
        line: { color: '#999', dash: 'dot', width: 1 },
        xaxis: 'x2',
        yaxis: 'y2',
      },
    ]) as Trace[],
    layout: {
      title: { text: title },
      height: (options.height ?? 420) + titleMargin(wrapped.lines),
      margin: { l: 60, r: 20, t: 70 + titleMargin(wrapped.lines), b: 45 },
      xaxis: { anchor: 'y', domain: [0, 1], matches: 'x2', showticklabels: false },
      yaxis: { domain: [0.55, 1], title: { text: 'loss' }, automargin: true },
      xaxis2: { anchor: 'y2', domain: [0, 1], title: { text: 'step' }, automargin: true },
      yaxis2: {
        domain: [0, 0.45],
        automargin: true,
        ...(output.range ? { range: output.range } : {}),
        title: { text: output.axisTitle },
      },
    },
  };
}

/** What one point of the training chart is: "each point: one step" or "each point: mean of N steps". */
export function pointsNote(steps: number, points: number): string {
  if (points === 0 || steps <= points) return 'each point: one step';
  const low = Math.floor(steps / points);
  const high = Math.ceil(steps / points);
  return `each point: mean of ${low === high ? low : `${low}–${high}`} steps`;
}

function rowsToCurves(rows: readonly TrainingRow[]): TrainingCurves {
  const column = (k: keyof TrainingRow) => rows.map((r) => r[k]);
  return {
    step: column('step'),
    dLoss: column('dLoss'),
    gLoss: column('gLoss'),
    dReal: column('dReal'),
    dFake: column('dFake'),
  };
}

/** Averages consecutive steps into at most maxPoints buckets (x = each bucket's last step); non-finite values become gaps. */
function averageBuckets(c: TrainingCurves, maxPoints: number): { [K in 'step' | keyof StepMetrics]: number[] } {
  const n = c.step.length;
  const buckets = Math.max(1, Math.min(n, Math.floor(maxPoints)));
  const out = {
    step: [] as number[],
    dLoss: [] as number[],
    gLoss: [] as number[],
    dReal: [] as number[],
    dFake: [] as number[],
  };
  for (let b = 0; b < (n === 0 ? 0 : buckets); b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * n) / buckets));
    out.step.push(c.step[to - 1]);
    for (const k of STEP_METRICS) {
      let sum = 0;
      for (let i = from; i < to; i++) sum += c[k][i];
      out[k].push(sum / (to - from));
    }
  }
  return out;
}
