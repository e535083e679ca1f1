/**
 * The paper's Figure 1 from a real 1-D GAN: p_data (black, dotted), p_g (green, solid), D (blue, dashed),
 * the analytic D* = p_data/(p_data + p_g) for comparison, and the mapping x = G(z) drawn as arrows from
 * a line of uniformly spaced z below the x axis. The numbers come from `snapshot1D` (train/snapshot1d.ts);
 * this file only draws them.
 */
import type { Figure1Panel } from '../train/snapshot1d';
import { figure, Figure, Trace } from './figure';

/**
 * Up to four panels in a 2×2 grid, drawn like the paper's Figure 1. The lower horizontal line is the
 * z interval, stretched to the width of the plot; each arrow joins a z to its image G(z) on the x line.
 */
export function figure1(
  panels: Figure1Panel[],
  options: { title?: string; height?: number; yMax?: number } = {},
): Figure {
  if (panels.length === 0 || panels.length > 4) throw new Error(`figure1: pass 1 to 4 panels, got ${panels.length}`);
  const traces: Trace[] = [];
  const annotations: object[] = [];
  const layout: { [k: string]: unknown } = {};
  // tall enough for the densities (a narrow p_g can be much taller than p_data: capped, and clipped in the plot)
  const yMax =
    options.yMax ??
    Math.min(2, Math.max(1.1, ...panels.map((p) => Math.max(...p.snapshot.pData, ...p.snapshot.pG) * 1.05)));
  const zLine = -0.45;
  panels.forEach((panel, i) => {
    const s = panel.snapshot;
    const ax = i === 0 ? '' : String(i + 1);
    const [xref, yref] = [`x${ax}`, `y${ax}`];
    const col = i % 2;
    const row = Math.floor(i / 2);
    layout[`xaxis${ax}`] = {
      domain: col === 0 ? [0, 0.47] : [0.53, 1],
      anchor: yref,
      title: { text: row === 1 || panels.length <= 2 ? 'x' : '' },
      zeroline: false,
      range: [s.x[0], s.x[s.x.length - 1]],
    };
    layout[`yaxis${ax}`] = {
      domain: row === 0 ? (panels.length > 2 ? [0.56, 0.96] : [0, 0.92]) : [0, 0.4],
      anchor: xref,
      range: [zLine - 0.15, yMax],
      title: { text: col === 0 ? 'density · D(x)' : '' },
      zeroline: false,
    };
    const show = i === 0;
    const common = { xaxis: xref, yaxis: yref, showlegend: show, legendgroup: '' };
    const [x0, x1] = [s.x[0], s.x[s.x.length - 1]];
    traces.push(
      {
        type: 'scatter',
        mode: 'lines',
        name: 'p_data',
        x: s.x,
        y: s.pData,
        line: { color: 'black', dash: 'dot', width: 2 },
        ...common,
        legendgroup: 'pd',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: "p_g (G's distribution)",
        x: s.x,
        y: s.pG.map((v) => Math.min(v, yMax)),
        line: { color: 'green', width: 2 },
        ...common,
        legendgroup: 'pg',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'D(x)',
        x: s.x,
        y: s.d,
        line: { color: 'blue', dash: 'dash', width: 2 },
        ...common,
        legendgroup: 'd',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'D*(x) = p_data/(p_data+p_g)',
        x: s.x,
        y: s.dStar,
        line: { color: '#999', dash: 'dashdot', width: 1 },
        ...common,
        legendgroup: 'ds',
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'x line',
        x: [x0, x1],
        y: [0, 0],
        line: { color: '#444', width: 1 },
        hoverinfo: 'skip',
        ...common,
        showlegend: false,
      },
    );
    const [za, zb] = s.zRange;
    // the z interval is drawn over the middle 70% of the plot's width
    const [zx0, zx1] = [x0 + 0.15 * (x1 - x0), x1 - 0.15 * (x1 - x0)];
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'z line',
      x: [zx0, zx1],
      y: [zLine, zLine],
      line: { color: '#444', width: 2 },
      hoverinfo: 'skip',
      ...common,
      showlegend: false,
    });
    s.arrows.z.forEach((z, j) => {
      annotations.push({
        xref,
        yref,
        axref: xref,
        ayref: yref,
        x: s.arrows.x[j],
        y: 0,
        ax: zx0 + ((z - za) / (zb - za)) * (zx1 - zx0),
        ay: zLine,
        showarrow: true,
        arrowhead: 2,
        arrowsize: 1,
        arrowwidth: 1,
        arrowcolor: '#777',
        text: '',
      });
    });
    annotations.push({
      xref: `${xref} domain`,
      yref: `${yref} domain`,
      x: 0,
      y: 1.0,
      xanchor: 'left',
      yanchor: 'bottom',
      text: panel.title,
      showarrow: false,
      font: { size: 13 },
    });
    annotations.push({
      xref,
      yref,
      x: zx0,
      y: zLine,
      xanchor: 'right',
      yanchor: 'middle',
      text: 'z ',
      showarrow: false,
      font: { size: 12, color: '#444' },
    });
  });
  return figure(traces, {
    title:
      options.title ??
      'Figure 1 of the paper, computed: D (blue, dashed), p_data (black, dotted), p_g (green), z → x = G(z)',
    xTitle: 'x',
    yTitle: 'density · D(x)',
    height: options.height ?? (panels.length > 2 ? 780 : 400),
    layout: { ...layout, annotations, legend: { orientation: 'h', y: -0.08 }, margin: { l: 60, r: 20, t: 70, b: 60 } },
  });
}
