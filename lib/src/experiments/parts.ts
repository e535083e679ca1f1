/**
 * The objects an experiment's specs (experiment.ts) stand for: its prior, one optimiser, its GAN loss.
 * Every run (run.ts) and the paper's named optimiser (paperMnist.ts: paperSgdMomentum) build them here.
 */
import { GanLoss, leastSquaresLoss, minimaxLoss } from '../losses';
import { Prior, normalPrior, uniformPrior } from '../random';
import { GanOptimizer, adam, sgdMomentum } from '../train';
import { LossSpec, OptimizerSpec, PriorSpec } from './experiment';

export function priorOf(spec: PriorSpec): Prior {
  return spec.kind === 'normal' ? normalPrior(spec.dim) : uniformPrior(spec.dim, spec.halfWidth);
}

export function optimizerOf(spec: OptimizerSpec): GanOptimizer {
  if (spec.kind === 'adam')
    return adam({ learningRate: spec.learningRate, beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon });
  return sgdMomentum({
    learningRate: spec.learningRate,
    decayFactor: spec.decayFactor,
    minLearningRate: spec.minLearningRate,
    momentumSchedule: { ...spec.momentumSchedule },
  });
}

export function ganLossOf(spec: LossSpec): GanLoss {
  return spec.kind === 'leastSquares'
    ? leastSquaresLoss()
    : minimaxLoss({ generator: spec.generator, dScale: spec.discriminatorScale });
}
