/**
 * A progress display that rewrites one output in place: a bar, step/total, rate, ETA and the latest
 * metrics. In a notebook it is an HTML output updated through tslab; in a terminal one line on stderr
 * rewritten with \r; when stderr is not a terminal (tests, CI logs) it stays silent.
 * The pieces every progress display shares live here too: how a metric, a duration, the rate and the
 * ETA are written, and how a step's StepMetrics are labelled (the live training view and the CLI's bar
 * use them).
 */
import { STEP_METRICS, type StepMetrics } from '../losses';
import { canDisplay, escapeHtml, newOutputArea, OutputArea } from './display';

export interface ProgressOptions {
  label?: string;
  /** Minimum time between two redraws (default 250 ms): redraws cost more than a small training step. */
  minIntervalMs?: number;
  /** Where to show it: 'auto' (default: notebook, else a terminal's stderr, else nothing), 'stderr' or 'none'. */
  output?: 'auto' | 'stderr' | 'none';
}

export interface Progress {
  /** step = number of completed steps (1…total); metrics are shown as name = value. */
  update(step: number, metrics?: Record<string, number>): void;
  /** Final redraw (always drawn, regardless of the interval). */
  done(metrics?: Record<string, number>): void;
}

/** Short number formatting for metrics: 4 significant digits, no exponent for everyday magnitudes. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** Seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How progress displays name a step's StepMetrics: the paper's and pytorch's dcgan's names. */
export const STEP_METRIC_LABELS: { readonly [K in keyof StepMetrics]: string } = {
  dLoss: 'D loss',
  gLoss: 'G loss',
  dReal: 'D(x)',
  dFake: 'D(G(z))',
};

/** A step's four numbers as labelled metrics, in STEP_METRICS order: { 'D loss': …, 'G loss': …, 'D(x)': …, 'D(G(z))': … }. */
export function labelledStepMetrics(m: StepMetrics): Record<string, number> {
  return Object.fromEntries(STEP_METRICS.map((k) => [STEP_METRIC_LABELS[k], m[k]]));
}

export interface ProgressState {
  step: number;
  total: number;
  /** Steps already done when the clock started (a resumed run): they do not count towards the rate. Default 0. */
  startStep?: number;
  elapsedSeconds: number;
  metrics: Record<string, number>;
  done: boolean;
}

/** "35 steps/s" or "2.5 s/step", and "ETA 0:11" (or "took 1:02" once done), from the steps done since the clock started. */
export function rateAndEta(s: ProgressState): { rate: string; eta: string } {
  const steps = s.step - (s.startStep ?? 0);
  const rate = s.elapsedSeconds > 0 && steps > 0 ? steps / s.elapsedSeconds : NaN;
  const rateText = !Number.isFinite(rate)
    ? '–'
    : rate >= 1
      ? `${formatMetric(rate)} steps/s`
      : `${formatMetric(1 / rate)} s/step`;
  const eta = s.done
    ? `took ${formatDuration(s.elapsedSeconds)}`
    : `ETA ${Number.isFinite(rate) && rate > 0 ? formatDuration((s.total - s.step) / rate) : '?'}`;
  return { rate: rateText, eta };
}

/** "name value · name value", each value written by `format` (default formatMetric). */
export function metricsText(m: Record<string, number>, format: (v: number) => string = formatMetric): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${format(v)}`)
    .join(' · ');
}

/** One text line: "label [#####.....] 120/500 24% · 35 steps/s · ETA 0:11 · dLoss 1.23". */
export function progressLine(label: string, s: ProgressState, barWidth = 24): string {
  const frac = s.total > 0 ? Math.min(1, Math.max(0, s.step / s.total)) : 0;
  const filled = Math.round(frac * barWidth);
  const { rate, eta } = rateAndEta(s);
  const parts = [
    `${label ? label + ' ' : ''}[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${s.step}/${s.total} ${Math.floor(frac * 100)}%`,
    rate,
    eta,
  ];
  const m = metricsText(s.metrics);
  if (m) parts.push(m);
  return parts.join(' · ');
}

/** The HTML of the bar, used by progress() and by liveTrainingView's header. */
export function progressHtml(label: string, s: ProgressState): string {
  const frac = s.total > 0 ? Math.min(1, Math.max(0, s.step / s.total)) : 0;
  const pct = (frac * 100).toFixed(1);
  const { rate, eta } = rateAndEta(s);
  const metrics = Object.entries(s.metrics)
    .map(([k, v]) => `<span style="margin-right:1em"><b>${escapeHtml(k)}</b> ${escapeHtml(formatMetric(v))}</span>`)
    .join('');
  const color = s.done ? '#2ca02c' : '#1f77b4';
  return (
    `<div class="tsgan-progress" style="font:13px/1.5 monospace">` +
    (label ? `<div>${escapeHtml(label)}</div>` : '') +
    `<div style="display:flex;align-items:center;gap:10px">` +
    `<div style="width:320px;height:14px;background:#e6e6e6;border-radius:3px;overflow:hidden">` +
    `<div style="width:${pct}%;height:100%;background:${color}"></div></div>` +
    `<span>${s.step}/${s.total} (${Math.floor(frac * 100)}%) · ${escapeHtml(rate)} · ${escapeHtml(eta)}</span></div>` +
    (metrics ? `<div>${metrics}</div>` : '') +
    `</div>`
  );
}

/** A progress display for `total` steps (see Progress). */
export function progress(total: number, options: ProgressOptions = {}): Progress {
  if (!Number.isFinite(total) || total < 0)
    throw new Error(`progress: total must be a non-negative number of steps, got ${total}.`);
  const label = options.label ?? '';
  const minInterval = options.minIntervalMs ?? 250;
  const mode = options.output ?? 'auto';
  const start = Date.now();
  let lastDraw = -Infinity;
  let finished = false;
  let state: ProgressState = { step: 0, total, elapsedSeconds: 0, metrics: {}, done: false };

  let area: OutputArea | null = null;
  let tty = false;
  if (mode === 'auto' && canDisplay()) area = newOutputArea();
  else if (mode === 'stderr' || (mode === 'auto' && process.stderr.isTTY)) tty = true;

  const draw = () => {
    lastDraw = Date.now();
    if (area) area.html(progressHtml(label, state));
    else if (tty) {
      const line = progressLine(label, state);
      const columns = process.stderr.columns || 120;
      process.stderr.write(
        `\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length))}\x1b[K${state.done ? '\n' : ''}`,
      );
    }
  };
  if (area) draw(); // the empty bar appears at once, so the cell shows something before the first step

  return {
    update(step: number, metrics?: Record<string, number>) {
      if (finished) return;
      state = {
        step,
        total,
        elapsedSeconds: (Date.now() - start) / 1000,
        metrics: metrics ?? state.metrics,
        done: false,
      };
      if (Date.now() - lastDraw >= minInterval) draw();
    },
    done(metrics?: Record<string, number>) {
      if (finished) return;
      finished = true;
      state = { ...state, elapsedSeconds: (Date.now() - start) / 1000, metrics: metrics ?? state.metrics, done: true };
      draw();
    },
  };
}
