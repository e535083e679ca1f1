/**
 * A training run's history: every step's StepMetrics as columns, and what D's output in them means, so
 * that a chart of it (trainingCurvesFigure) labels itself.
 */
import { DEFAULT_GAN_LOSS, StepMetrics, STEP_METRICS } from '../losses';
import type { DiscriminatorOutputMeaning } from '../losses';

/** One column per StepMetrics field, one entry per step. */
export type StepMetricColumns = { [K in keyof StepMetrics]: number[] };

/** Every step's metrics, as columns (trainingCurvesFigure draws it as it is). */
export interface TrainHistory extends StepMetricColumns {
  step: number[];
  epoch: number[];
  /** What dReal and dFake mean (the loss's GanLoss.output): a probability for the minimax loss. */
  output: DiscriminatorOutputMeaning;
  /** Steps completed and epochs of the source when trainGan returned. */
  finalStep: number;
  finalEpoch: number;
  /**
   * Why the loop ended early; null when it ran to `steps`/`epochs`. 'interrupt': SIGINT (Kernel › Interrupt
   * in Jupyter) while the process had a SIGINT listener, see TrainGanConfig.stopOnInterrupt.
   */
  stoppedBy: null | 'signal' | 'shouldStop' | 'onStep' | 'interrupt';
}

/** A history with no steps yet; trainGan sets its `output` to the loss it trains with. */
export function emptyHistory(): TrainHistory {
  return {
    step: [],
    epoch: [],
    dLoss: [],
    gLoss: [],
    dReal: [],
    dFake: [],
    output: DEFAULT_GAN_LOSS.output,
    finalStep: 0,
    finalEpoch: 0,
    stoppedBy: null,
  };
}

/** Appends one step's numbers. */
export function recordStep(h: TrainHistory, info: StepMetrics & { step: number; epoch: number }): void {
  h.step.push(info.step);
  h.epoch.push(info.epoch);
  for (const k of STEP_METRICS) h[k].push(info[k]);
}
