/**
 * A training replay: several figures with the same traces (e.g. snapshots of a GAN over training) as one
 * plotly animation with a slider and a play button, so the dynamics can be read after execution, offline.
 * Drawing reuses figureHtml (the first frame); a small script then hands the frames to plotly.
 */
import { Figure, Trace } from './figure';
import { canDisplay, newElementId, newOutputArea } from './display';
import { ensurePlotly, figureHtml } from './plotly';

export interface AnimationFrame {
  /** The slider's label for this frame, e.g. 'step 500'. */
  label: string;
  /** A figure with the same traces, in the same order, as every other frame's. */
  figure: Figure;
}

/** A plotly frame: the traces to show and the layout parts that change (title, annotations). */
export interface PlotlyFrame {
  name: string;
  data: Trace[];
  layout: { [attribute: string]: unknown };
}

/** A figure (the first frame, with slider and buttons in its layout) and all its frames. */
export interface AnimatedFigure extends Figure {
  frames: PlotlyFrame[];
}

export interface AnimationOptions {
  /** Milliseconds per frame when playing (default 400). */
  frameMs?: number;
  /** Text before the current frame's label above the slider (default ''). */
  prefix?: string;
}

/** Builds one animated figure from frames that share their traces. */
export function animatedFigure(frames: AnimationFrame[], options: AnimationOptions = {}): AnimatedFigure {
  if (!Array.isArray(frames) || frames.length === 0)
    throw new Error('animatedFigure: pass at least one frame { label, figure }');
  const first = frames[0].figure;
  const names = new Set<string>();
  frames.forEach((f, i) => {
    if (!f || typeof f.label !== 'string' || !f.figure || !Array.isArray(f.figure.data)) {
      throw new Error(`animatedFigure: frame ${i} must be { label: string, figure: Figure }`);
    }
    if (names.has(f.label))
      throw new Error(
        `animatedFigure: two frames are labelled ${JSON.stringify(f.label)}; the slider needs distinct labels`,
      );
    names.add(f.label);
    const types = (fig: Figure) => fig.data.map((t) => t.type ?? 'scatter').join(',');
    if (types(f.figure) !== types(first)) {
      throw new Error(
        `animatedFigure: frame ${i} (${f.label}) has traces [${types(f.figure)}], frame 0 has [${types(first)}]; every frame needs the same traces in the same order`,
      );
    }
  });
  const frameMs = options.frameMs ?? 400;
  if (!(frameMs > 0)) throw new Error(`animatedFigure: frameMs must be positive, got ${frameMs}`);
  const go = (duration: number) => ({
    mode: 'immediate',
    frame: { duration, redraw: true },
    transition: { duration: 0 },
  });
  const plotlyFrames: PlotlyFrame[] = frames.map((f) => {
    const layout: { [k: string]: unknown } = { title: f.figure.layout.title };
    if (f.figure.layout.annotations !== undefined) layout.annotations = f.figure.layout.annotations;
    return { name: f.label, data: f.figure.data, layout };
  });
  const margin = (first.layout.margin as { b?: number } | undefined) ?? {};
  return {
    data: first.data,
    layout: {
      ...first.layout,
      margin: { ...margin, b: Math.max(margin.b ?? 0, 150) },
      updatemenus: [
        {
          type: 'buttons',
          direction: 'left',
          showactive: false,
          x: 0,
          xanchor: 'left',
          y: -0.32,
          yanchor: 'top',
          buttons: [
            { label: '▶ Play', method: 'animate', args: [null, { ...go(frameMs), fromcurrent: true }] },
            { label: '❚❚ Pause', method: 'animate', args: [[null], go(0)] },
          ],
        },
      ],
      sliders: [
        {
          active: 0,
          x: 0.2,
          len: 0.8,
          y: -0.28,
          yanchor: 'top',
          pad: { t: 10 },
          currentvalue: { prefix: options.prefix ?? '', visible: true },
          steps: frames.map((f) => ({ label: f.label, method: 'animate', args: [[f.label], go(0)] })),
        },
      ],
    },
    frames: plotlyFrames,
  };
}

/**
 * HTML for an animated figure: figureHtml of its first frame (so it draws, and says why not, exactly like
 * every other chart) inside a div of class "tsgan-animation", then a script that adds the frames once
 * plotly has drawn the plot.
 */
export function animationHtml(fig: AnimatedFigure): string {
  if (!fig || !Array.isArray(fig.frames) || fig.frames.length === 0) {
    throw new Error('animationHtml: expected an animated figure with frames (build it with animatedFigure)');
  }
  const id = newElementId('tsgan-plot');
  const json = JSON.stringify(fig.frames).replace(/</g, '\\u003c');
  return (
    `<div class="tsgan-animation" data-frames="${fig.frames.length}">` +
    figureHtml({ data: fig.data, layout: fig.layout }, { id }) +
    `</div>\n<script>(function () {\n` +
    `  var id = ${JSON.stringify(id)}, frames = ${json}, tries = 0;\n` +
    `  function add() {\n` +
    `    var el = document.getElementById(id);\n` +
    `    if (!el || !window.Plotly || !el._fullLayout) { if (++tries < 800) setTimeout(add, 25); return; }\n` +
    `    window.Plotly.addFrames(el, frames);\n` +
    `  }\n` +
    `  add();\n` +
    `})();</script>`
  );
}

/** Shows an animated figure in the notebook (a no-op in plain node, after validating it). */
export function showAnimation(fig: AnimatedFigure): void {
  const html = animationHtml(fig);
  if (!canDisplay()) return;
  ensurePlotly();
  newOutputArea().html(html);
}
