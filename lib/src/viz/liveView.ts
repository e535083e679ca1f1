/**
 * The live view of a GAN's training: one output, updated in place, with the two losses, the mean
 * discriminator outputs D(x) and D(G(z)) (the numbers that diagnose a GAN), an optional progress bar and
 * an optional sample grid. Redraws are throttled because a synchronous training loop would otherwise
 * spend its time sending HTML; the plotly bundle is sent once before, never with the updates.
 */
import type { DiscriminatorOutputMeaning } from '../losses';
import { trainingCurvesFigure, TrainingRow } from './figure';
import { canDisplay, escapeHtml, newOutputArea, OutputArea } from './display';
import { ensurePlotly, figureHtml } from './plotly';
import { pngDataUri, pngSize } from './png';
import { labelledStepMetrics, metricsText, progressHtml } from './progress';

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
  /** What D's output means for the run's loss (GanLoss.output), for the chart's lower axis; default a probability. */
  output?: DiscriminatorOutputMeaning;
}

export interface LiveTrainingView {
  /** Records one step; redraws when the interval has passed. A PNG given here is shown from the next redraw on. */
  update(point: TrainingRow, png?: Buffer): void;
  /** Redraws now (e.g. after a new sample grid). */
  flush(): void;
  /** Final redraw; later updates are ignored. */
  done(): void;
  /** Every point recorded so far. */
  readonly history: readonly TrainingRow[];
}

/** A live training view (see LiveTrainingView). Outside a notebook it only records the history. */
export function liveTrainingView(options: LiveTrainingViewOptions = {}): LiveTrainingView {
  const minInterval = options.minIntervalMs ?? 500;
  const every = Math.max(1, Math.floor(options.everySteps ?? 1));
  const history: TrainingRow[] = [];
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
    const metrics = last ? labelledStepMetrics(last) : {};
    if (options.total !== undefined) {
      parts.push(
        progressHtml('', {
          step: last?.step ?? 0,
          total: options.total,
          elapsedSeconds: (Date.now() - start) / 1000,
          metrics,
          done,
        }),
      );
    } else if (last) {
      parts.push(`<div style="font:13px monospace">step ${last.step} · ${escapeHtml(metricsText(metrics))}</div>`);
    }
    parts.push(`<div style="display:flex;flex-wrap:wrap;align-items:flex-start;gap:12px">`);
    parts.push(
      `<div style="flex:1 1 480px;min-width:360px">${figureHtml(trainingCurvesFigure(history, options))}</div>`,
    );
    if (png) {
      // Explicit width and height reserve the image's box before it decodes, so the chart beside it is
      // laid out at its final width.
      const size = pngSize(png);
      const w = options.imageWidth ?? size.width;
      const width = ` width="${w}" height="${Math.round((size.height * w) / size.width)}"`;
      const caption = options.imageCaption
        ? `<figcaption style="font:12px sans-serif;color:#555">${escapeHtml(options.imageCaption)}</figcaption>`
        : '';
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
    update(point: TrainingRow, image?: Buffer) {
      if (finished) return;
      history.push({
        step: point.step,
        dLoss: point.dLoss,
        gLoss: point.gLoss,
        dReal: point.dReal,
        dFake: point.dFake,
      });
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
