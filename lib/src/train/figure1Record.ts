/**
 * A Figure 1 run in stages: each stage's state of a 1-D GAN recorded as a panel (its snapshot on a grid,
 * the numbers of summarize1D, the mean of p_g and the interval p_g covers). Notebook 05 records panels
 * (a)–(d) with it and draws them with figure1 (viz/figure1.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Prior } from '../random';
import { Figure1Panel, snapshot1D, Summary1D, summarize1D } from './snapshot1d';

/** summarize1D's numbers and where p_g is. */
export type PanelSummary1D = Summary1D & {
  /** E_{p_g}[x], by a sum over the grid. */
  meanG: number;
  /** The interval of the grid cells where p_g > 0, cell edges included. */
  support: [number, number];
};

export interface Figure1RecorderOptions {
  /** 1-D uniform prior of G (snapshot1D's). */
  prior: Prior;
  /** p_data's density. */
  pData: (x: number) => number;
  /** x interval drawn. */
  range: [number, number];
}

export interface Figure1Recorder {
  /** The panels by letter; recording a letter again replaces it. */
  readonly panels: Map<string, Figure1Panel>;
  readonly summaries: Map<string, PanelSummary1D>;
  /** Records the pair's current state as panel `letter` (titled "(letter) title") and returns its numbers. */
  addPanel(
    pair: { generator: tf.LayersModel; discriminator: tf.LayersModel },
    letter: string,
    title: string,
  ): PanelSummary1D;
}

/** One line of a panel's numbers, as the notebook prints it. */
export function describePanel1D(title: string, s: PanelSummary1D): string {
  return (
    `${title}: p_g on [${s.support.map((v) => v.toFixed(2)).join(', ')}], mean ${s.meanG.toFixed(3)}; ` +
    `mean D on p_data ${s.meanDReal.toFixed(3)}, on p_g ${s.meanDFake.toFixed(3)}; ∫|D − D*| = ${s.distanceToDStar.toFixed(3)}; ` +
    `JSD = ${s.jsd.toFixed(4)} (${((100 * s.jsd) / Math.log(2)).toFixed(0)} % of its maximum log 2)`
  );
}

/** A recorder of Figure 1 panels; each addPanel also prints describePanel1D's line. */
export function figure1Recorder(o: Figure1RecorderOptions): Figure1Recorder {
  const panels = new Map<string, Figure1Panel>();
  const summaries = new Map<string, PanelSummary1D>();
  return {
    panels,
    summaries,
    addPanel(pair, letter, title) {
      const snapshot = snapshot1D({ ...pair, prior: o.prior, pData: o.pData, range: o.range });
      const dx = snapshot.x[1] - snapshot.x[0];
      const inSupport = snapshot.x.filter((_, i) => snapshot.pG[i] > 0);
      if (inSupport.length === 0) throw new Error(`figure1Recorder: p_g has no mass in [${o.range}]: widen the range`);
      const s: PanelSummary1D = {
        ...summarize1D(snapshot),
        meanG: snapshot.x.reduce((sum, x, i) => sum + x * snapshot.pG[i] * dx, 0),
        support: [inSupport[0] - dx / 2, inSupport[inSupport.length - 1] + dx / 2],
      };
      const fullTitle = `(${letter}) ${title}`;
      panels.set(letter, { title: fullTitle, snapshot });
      summaries.set(letter, s);
      console.log(describePanel1D(fullTitle, s));
      return s;
    },
  };
}
