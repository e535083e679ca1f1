/**
 * The live view of a GAN's training: one output, updated in place, with the two losses, the mean
 * discriminator outputs D(x) and D(G(z)) (the numbers that diagnose a GAN), an optional progress bar and
 * an optional sample grid. Redraws are throttled because a synchronous training loop would otherwise
 * spend its time sending HTML; the plotly bundle is sent once before, never with the updates.
 */
import type { Figure } from './figure';
import { canDisplay, escapeHtml, newOutputArea, OutputArea } from './display';
import { ensurePlotly, figureHtml } from './plotly';
import { pngDataUri, pngSize } from './png';
import { formatMetric, progressHtml } from './progress';

export interface TrainingPoint {
  step: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch. */
  dReal: number;
  /** Mean D(G(z)) on the fake batch. */
  dFake: number;
}

export interface LiveTrainingViewOptions {
  title?: string;
  /** When given, a progress bar with ETA heads the view. */
  total?: number;
  /** Minimum time between redraws (default 500 ms). */
  minIntervalMs?: number;
  /** Redraw at most every this many updates (default 1: time alone decides). */
  everySteps?: number;
  /** The chart averages the history into at most this many points (default 500). */
  maxPoints?: number;
  /** Caption under the sample grid. */
  imageCaption?: string;
  /** Pixel width of the sample grid on the page (default: the PNG's own width). */
  imageWidth?: number;
  /** Height of the chart in pixels (default 420). */
  height?: number;
}

export interface LiveTrainingView {
  /** Records one step; redraws when the interval has passed. A PNG given here is shown from the next redraw on. */
  update(point: TrainingPoint, png?: Buffer): void;
  /** Redraws now (e.g. after a new sample grid). */
  flush(): void;
  /** Final redraw; later updates are ignored. */
  done(): void;
  /** Every point recorded so far. */
  readonly history: readonly TrainingPoint[];
}

/** Averages consecutive points into at most maxPoints buckets; x is each bucket's last step. */
export function downsampleTraining(points: readonly TrainingPoint[], maxPoints: number): TrainingPoint[] {
  if (points.length <= maxPoints) return points.slice();
  const out: TrainingPoint[] = [];
  const size = points.length / maxPoints;
  for (let b = 0; b < maxPoints; b++) {
    const from = Math.floor(b * size);
    const to = Math.max(from + 1, Math.floor((b + 1) * size));
    const acc = { dLoss: 0, gLoss: 0, dReal: 0, dFake: 0 };
    for (let i = from; i < to; i++) {
      acc.dLoss += points[i].dLoss;
      acc.gLoss += points[i].gLoss;
      acc.dReal += points[i].dReal;
      acc.dFake += points[i].dFake;
    }
    const n = to - from;
    out.push({ step: points[to - 1].step, dLoss: acc.dLoss / n, gLoss: acc.gLoss / n, dReal: acc.dReal / n, dFake: acc.dFake / n });
  }
  return out;
}

/** The two-panel chart of the live view: losses on top, mean D outputs below (with the 1/2 of the equilibrium). */
export function trainingFigure(points: readonly TrainingPoint[], options: { title?: string; height?: number; maxPoints?: number } = {}): Figure {
  const p = downsampleTraining(points, options.maxPoints ?? 500);
  const steps = p.map((q) => q.step);
  const col = (k: keyof TrainingPoint) => p.map((q) => (Number.isFinite(q[k]) ? Number(q[k].toPrecision(5)) : null));
  const last = steps.length ? steps[steps.length - 1] : 1;
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'D loss', x: steps, y: col('dLoss'), line: { color: '#1f77b4' } },
      { type: 'scatter', mode: 'lines', name: 'G loss', x: steps, y: col('gLoss'), line: { color: '#ff7f0e' } },
      { type: 'scatter', mode: 'lines', name: 'mean D(x)', x: steps, y: col('dReal'), line: { color: '#2ca02c' }, xaxis: 'x2', yaxis: 'y2' },
      { type: 'scatter', mode: 'lines', name: 'mean D(G(z))', x: steps, y: col('dFake'), line: { color: '#d62728' }, xaxis: 'x2', yaxis: 'y2' },
      { type: 'scatter', mode: 'lines', name: 'D = 1/2 (equilibrium)', x: [steps[0] ?? 0, last], y: [0.5, 0.5], line: { color: '#999', dash: 'dot', width: 1 }, xaxis: 'x2', yaxis: 'y2' },
    ],
    layout: {
      title: { text: options.title ?? 'Training: losses and discriminator outputs' },
      height: options.height ?? 420,
      margin: { l: 60, r: 20, t: 50, b: 45 },
      xaxis: { anchor: 'y', domain: [0, 1], matches: 'x2', showticklabels: false },
      yaxis: { domain: [0.55, 1], title: { text: 'loss' } },
      xaxis2: { anchor: 'y2', domain: [0, 1], title: { text: 'step' } },
      yaxis2: { domain: [0, 0.45], range: [0, 1], title: { text: 'mean D(·)' } },
    },
  };
}

/** A live training view (see LiveTrainingView). Outside a notebook it only records the history. */
export function liveTrainingView(options: LiveTrainingViewOptions = {}): LiveTrainingView {
  const minInterval = options.minIntervalMs ?? 500;
  const every = Math.max(1, Math.floor(options.everySteps ?? 1));
  const history: TrainingPoint[] = [];
  const start = Date.now();
  let png: Buffer | undefined;
  let lastDraw = -Infinity;
  let sinceDraw = 0;
  let finished = false;
  let area: OutputArea | null = null;
  if (canDisplay()) {
    ensurePlotly();
    area = newOutputArea();
  }

  const render = (done: boolean): string => {
    const last = history[history.length - 1];
    const parts: string[] = [`<div class="tsgan-live">`];
    if (options.total !== undefined) {
      const metrics: Record<string, number> = last ? { 'D loss': last.dLoss, 'G loss': last.gLoss, 'D(x)': last.dReal, 'D(G(z))': last.dFake } : {};
      parts.push(progressHtml('', { step: last?.step ?? 0, total: options.total, elapsedSeconds: (Date.now() - start) / 1000, metrics, done }));
    } else if (last) {
      parts.push(
        `<div style="font:13px monospace">step ${last.step} · D loss ${formatMetric(last.dLoss)} · G loss ${formatMetric(last.gLoss)} · ` +
          `D(x) ${formatMetric(last.dReal)} · D(G(z)) ${formatMetric(last.dFake)}</div>`,
      );
    }
    parts.push(`<div style="display:flex;flex-wrap:wrap;align-items:flex-start;gap:12px">`);
    parts.push(`<div style="flex:1 1 480px;min-width:360px">${figureHtml(trainingFigure(history, options))}</div>`);
    if (png) {
      // Explicit width and height reserve the image's box before it decodes, so the chart beside it is
      // laid out at its final width.
      const size = pngSize(png);
      const w = options.imageWidth ?? size.width;
      const width = ` width="${w}" height="${Math.round((size.height * w) / size.width)}"`;
      const caption = options.imageCaption ? `<figcaption style="font:12px sans-serif;color:#555">${escapeHtml(options.imageCaption)}</figcaption>` : '';
      parts.push(
        `<figure style="margin:0"><img class="tsgan-samples" alt="samples" src="${pngDataUri(png)}"${width} style="image-rendering:pixelated">${caption}</figure>`,
      );
    }
    parts.push(`</div></div>`);
    return parts.join('');
  };

  const draw = (done: boolean) => {
    lastDraw = Date.now();
    sinceDraw = 0;
    if (area) area.html(render(done));
  };

  if (area) draw(false); // the view (and its progress bar) appears before the first step

  return {
    history,
    update(point: TrainingPoint, image?: Buffer) {
      if (finished) return;
      history.push({ step: point.step, dLoss: point.dLoss, gLoss: point.gLoss, dReal: point.dReal, dFake: point.dFake });
      if (image) png = image;
      sinceDraw++;
      if (area && sinceDraw >= every && Date.now() - lastDraw >= minInterval) draw(false);
    },
    flush() {
      if (!finished) draw(false);
    },
    done() {
      if (finished) return;
      finished = true;
      draw(true);
    },
  };
}
