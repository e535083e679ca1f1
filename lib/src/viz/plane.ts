/**
 * A 2-D GAN drawn the way GAN Lab draws it: D's output as a heat map over the plane, the real points, G's
 * samples, and from each sample an arrow along −∇ of G's loss at that sample, the direction in which G's
 * next step pushes it. The numbers come from `snapshot2D` (train/plane2d.ts); this file only draws them.
 */
import type { PlaneSnapshot } from '../train/plane2d';
import { figure, Figure, Trace } from './figure';

export interface PlaneFigureOptions {
  title: string;
  /** The longest arrow's length as a share of the plot's width (default 0.08); the others scale with it. */
  arrowLength?: number;
  /** Pixel height (default 520); the plot is square in data units. */
  height?: number;
}

/** The traces of a plane picture: heat map, real points, G's samples, arrows (always in this order). */
export function planeTraces(s: PlaneSnapshot, options: { arrowLength?: number } = {}): Trace[] {
  checkSnapshot(s);
  const traces: Trace[] = [
    {
      type: 'heatmap',
      name: 'D(x)',
      x: s.gridX,
      y: s.gridY,
      z: s.d,
      zmin: 0,
      zmax: 1,
      colorscale: 'RdBu',
      // plotly's RdBu runs from blue (0: "fake") to red (1: "real")
      opacity: 0.75,
      colorbar: { title: { text: 'D(x)' }, len: 0.8 },
      hovertemplate: 'x %{x:.2f}, y %{y:.2f}: D = %{z:.2f}<extra></extra>',
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'real x ~ p_data',
      x: s.real.x,
      y: s.real.y,
      marker: { color: 'black', size: 4, opacity: 0.6 },
    },
    {
      type: 'scatter',
      mode: 'markers',
      name: 'G(z)',
      x: s.fake.x,
      y: s.fake.y,
      marker: { color: '#1a9641', size: 5, opacity: 0.8, symbol: 'circle' },
    },
  ];
  // One trace of segments separated by gaps; the end point of each carries an arrowhead turned along the segment.
  const ax: (number | null)[] = [];
  const ay: (number | null)[] = [];
  const sizes: number[] = [];
  const g = s.gradient;
  if (g && g.x.length) {
    const width = s.gridX[s.gridX.length - 1] - s.gridX[0];
    let longest = 0;
    for (let i = 0; i < g.x.length; i++) longest = Math.max(longest, Math.hypot(g.x[i], g.y[i]));
    const scale = longest > 0 ? ((options.arrowLength ?? 0.08) * width) / longest : 0;
    for (let i = 0; i < g.x.length; i++) {
      ax.push(s.fake.x[i], s.fake.x[i] - scale * g.x[i], null);
      ay.push(s.fake.y[i], s.fake.y[i] - scale * g.y[i], null);
      sizes.push(0, 7, 0);
    }
  }
  traces.push({
    type: 'scatter',
    mode: 'lines+markers',
    name: "−∇ of G's loss",
    x: ax,
    y: ay,
    hoverinfo: 'skip',
    line: { color: '#d95f02', width: 1 },
    // per-point sizes (0 at each tail): Trace's marker type only names the scalar form
    marker: { symbol: 'arrow', angleref: 'previous', size: sizes, color: '#d95f02' } as unknown as Trace['marker'],
  });
  return traces;
}

/** One picture of a 2-D GAN: D's heat map, real points, G's samples and their arrows. */
export function planeFigure(s: PlaneSnapshot, options: PlaneFigureOptions): Figure {
  const traces = planeTraces(s, options);
  const xRange: [number, number] = [s.gridX[0], s.gridX[s.gridX.length - 1]];
  const yRange: [number, number] = [s.gridY[0], s.gridY[s.gridY.length - 1]];
  return figure(traces, {
    title: options.title,
    xTitle: 'x₁',
    yTitle: 'x₂',
    xRange,
    yRange,
    height: options.height ?? 520,
    layout: { yaxis: { scaleanchor: 'x', scaleratio: 1 }, legend: { orientation: 'h', y: -0.12 } },
  });
}

function checkSnapshot(s: PlaneSnapshot): void {
  if (!s || !Array.isArray(s.gridX) || !Array.isArray(s.gridY) || !Array.isArray(s.d) || !s.real || !s.fake) {
    throw new Error(
      'planeFigure: expected a PlaneSnapshot { gridX, gridY, d, real, fake, gradient? } (make one with snapshot2D)',
    );
  }
  if (s.gridX.length < 2 || s.gridY.length < 2)
    throw new Error('planeFigure: the grid needs at least 2 points per axis');
  if (s.d.length !== s.gridY.length || s.d.some((row) => row.length !== s.gridX.length)) {
    throw new Error(
      `planeFigure: d must have ${s.gridY.length} rows (one per gridY) of ${s.gridX.length} values (one per gridX)`,
    );
  }
  if (s.gradient && s.gradient.x.length > s.fake.x.length) {
    throw new Error(
      `planeFigure: ${s.gradient.x.length} gradients for ${s.fake.x.length} samples; at most one per sample`,
    );
  }
}
