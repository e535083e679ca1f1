/**
 * Makes reference cases from the lib's tested functions (`npm run homework -- cases`): the inputs are drawn
 * from a seeded Rng, the expected outputs are what uniformPrior, discriminatorLoss, generatorLoss,
 * discriminatorStep, generatorStep, Maxout, paperMnistDiscriminator, optimalDiscriminator, virtualCriterion,
 * parzenLogLikelihood, generatorLossLogitGradient, bilinearGame and simultaneousStep return (Assignment 2's:
 * generateTraining.ts). Same seed, same file.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian1D } from '../data';
import { discriminatorLoss, generatorLoss, generatorLossLogitGradient, GeneratorLossVariant, minimaxLoss, optimalDiscriminator, virtualCriterion } from '../losses';
import { parzenLogLikelihood } from '../metrics';
import { countParams, Maxout, mlpDiscriminator } from '../models';
import { PAPER_MNIST_DISCRIMINATOR, paperMnistDiscriminator } from '../experiments/paperMnistNets';
import { Rng, uniformPrior } from '../random';
import { discriminatorStep, generatorStep, simultaneousStep } from '../train';
import { bilinearGame } from '../train/bilinearGame';
import { CASES_FORMAT, CaseFile, CaseSet, LoopCase, SmallGan } from './cases';
import { generateTrainingCases } from './generateTraining';
import { buildSmallGan, disposeModels, finishSmallGanRun, flatWeights, plainSgd, r9, startSmallGanRun } from './smallGan';

/** float32 results need 9 significant digits to round-trip; fewer digits keep the file readable. */
const round = (xs: ArrayLike<number>): number[] => Array.from(xs, r9);

function uniformArray(rng: Rng, n: number, lo: number, hi: number): number[] {
  return round(rng.fillUniform(new Float32Array(n), lo, hi));
}
function matrix(rng: Rng, rows: number, cols: number, lo: number, hi: number): number[][] {
  return Array.from({ length: rows }, () => uniformArray(rng, cols, lo, hi));
}
function scalarOf(f: () => tf.Scalar): number {
  const s = f();
  const v = s.dataSync()[0];
  s.dispose();
  return r9(v);
}

export async function generateCases(seed: number, visibility: 'public' | 'hidden' = 'public'): Promise<CaseFile> {
  if (!Number.isInteger(seed)) throw new Error(`generateCases: seed must be an integer, got ${seed}`);
  const rng = new Rng(seed);
  const int = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
  const t1 = (xs: number[]) => tf.tensor1d(xs);

  const ex1: CaseSet['ex1'] = [
    { label: 'n = 4, dim = 3', n: 4, dim: 3 },
    { label: 'n = 200, dim = 5', n: 200, dim: 5 },
  ].map((c) => {
    const s = int(1, 1e6);
    return { ...c, seed: s, expected: round(uniformPrior(c.dim).sampleArray(c.n, new Rng(s))) };
  });

  const logitSets: { label: string; extreme?: boolean; real: number[]; fake: number[] }[] = [
    { label: 'ordinary logits', real: uniformArray(rng, 6, -4, 4), fake: uniformArray(rng, 6, -4, 4) },
    { label: 'logits between 0 and 1', real: uniformArray(rng, 5, 0.05, 0.95), fake: uniformArray(rng, 5, 0.05, 0.95) },
    { label: 'batches of different sizes', real: uniformArray(rng, 3, -3, 3), fake: uniformArray(rng, 7, -3, 3) },
    { label: 'large |logit| (100)', extreme: true, real: [100, -100, 3], fake: [-100, 100, -2] },
  ];
  const ex2: CaseSet['ex2'] = logitSets.map((c) => ({ ...c, expected: scalarOf(() => tf.tidy(() => discriminatorLoss(t1(c.real), t1(c.fake)))) }));

  const ex3: CaseSet['ex3'] = logitSets.flatMap((c) =>
    (['saturating', 'nonSaturating'] as const).map((variant) => ({
      label: `${c.label}, ${variant}`,
      extreme: c.extreme,
      fake: c.fake,
      variant,
      expected: scalarOf(() => tf.tidy(() => generatorLoss(t1(c.fake), { variant }))),
    })),
  );

  const small = (): SmallGan => ({ latentDim: 2, dataDim: 2, gHidden: [5], dHidden: [6], gSeed: int(1, 1e6), dSeed: int(1, 1e6) });
  const ex4: CaseSet['ex4'] = [4, 6].map((n) => {
    const gan = small();
    const lr = 0.1;
    const real = matrix(rng, n, 2, 1, 3);
    const z = matrix(rng, n, 2, -Math.sqrt(3), Math.sqrt(3));
    const { G, D } = buildSmallGan(gan);
    const r = tf.tensor2d(real);
    const zt = tf.tensor2d(z);
    const opt = plainSgd(lr);
    const { dLoss } = discriminatorStep({ generator: G, discriminator: D, optimizer: opt, real: r, z: zt });
    const expected = { loss: r9(dLoss), dAfter: round(flatWeights(D)), gAfter: round(flatWeights(G)) };
    tf.dispose([r, zt]);
    opt.dispose();
    disposeModels(G, D);
    return { label: `batch of ${n}`, gan, lr, real, z, expected };
  });

  const ex5: CaseSet['ex5'] = [4, 6].map((n) => {
    const gan = small();
    const lr = 0.1;
    const z = matrix(rng, n, 2, -Math.sqrt(3), Math.sqrt(3));
    const run = (variant: 'saturating' | 'nonSaturating') => {
      const { G, D } = buildSmallGan(gan);
      const zt = tf.tensor2d(z);
      const opt = plainSgd(lr);
      const { gLoss } = generatorStep({ generator: G, discriminator: D, optimizer: opt, z: zt, loss: minimaxLoss({ generator: variant }) });
      const out = { loss: r9(gLoss), dAfter: round(flatWeights(D)), gAfter: round(flatWeights(G)) };
      zt.dispose();
      opt.dispose();
      disposeModels(G, D);
      return out;
    };
    const ns = run('nonSaturating');
    return { label: `batch of ${n}`, gan, lr, z, expected: { ...ns, gAfterSaturating: run('saturating').gAfter } };
  });

  const ex6: CaseSet['ex6'] = [
    { n: 3, inDim: 4, units: 2, pieces: 3 },
    { n: 5, inDim: 3, units: 4, pieces: 2 },
  ].map((c) => {
    const x = matrix(rng, c.n, c.inDim, -2, 2);
    const kernel = matrix(rng, c.inDim, c.units * c.pieces, -1, 1);
    const bias = uniformArray(rng, c.units * c.pieces, -1, 1);
    const model = tf.sequential({ layers: [new Maxout({ units: c.units, pieces: c.pieces, inputShape: [c.inDim] })] });
    model.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias)]);
    const y = tf.tidy(() => model.predict(tf.tensor2d(x)) as tf.Tensor2D);
    const expected = (y.arraySync() as number[][]).map(round);
    y.dispose();
    model.dispose();
    return { label: `${c.n} inputs of ${c.inDim}, ${c.units} units × ${c.pieces} pieces`, x, kernel, bias, units: c.units, pieces: c.pieces, expected };
  });

  // the paper's D (public: its count is in the paper's code anyway) and a maxout D of drawn sizes, so that a
  // hidden file asks for numbers the public one does not hold
  const paperD = paperMnistDiscriminator({ seed: 1, dropoutRng: new Rng(1) });
  const paper = PAPER_MNIST_DISCRIMINATOR;
  const ex7: CaseSet['ex7'] = [{ label: "the paper's D", inputs: paper.inputDim, hiddenUnits: [...paper.hidden], pieces: paper.pieces, expected: countParams(paperD) }];
  paperD.dispose();


  // Densities on a grid: Gaussians (ordinary) and two uniforms with disjoint supports (zeros: 0·log 0 = 0).
  const grid = Array.from({ length: 801 }, (_, i) => -8 + i * 0.02);
  const gauss = (m: number, s: number) => gaussian1D(m, s);
  const uniformPdf = (a: number, b: number) => (x: number) => (x >= a && x <= b ? 1 / (b - a) : 0);
  const densityPairs = [
    { label: 'N(0, 1) vs N(m, s²)', p: gauss(0, 1).pdf, q: gauss(r9(rng.uniform() * 2 - 1), r9(0.5 + rng.uniform())).pdf },
    { label: 'p_g = p_data', p: gauss(1, 0.7).pdf, q: gauss(1, 0.7).pdf },
    { label: 'disjoint supports (zero densities)', extreme: true, p: uniformPdf(-3, -1), q: uniformPdf(1, 3) },
  ];
  const ex8: CaseSet['ex8'] = densityPairs.map((c) => {
    const xs = c.extreme ? [-2, -1.5, 0, 1.5, 2] : round(uniformArray(rng, 6, -4, 4));
    const pData = round(xs.map(c.p));
    const pG = round(xs.map(c.q));
    return { label: c.label, extreme: c.extreme, pData, pG, expected: round(optimalDiscriminator(pData, pG)) };
  });
  const ex9: CaseSet['ex9'] = densityPairs.map((c) => ({
    label: c.label,
    extreme: c.extreme,
    pData: grid.map(c.p),
    pG: grid.map(c.q),
    dx: 0.02,
    expected: r9(virtualCriterion(c.p, c.q, [-8, 8])),
  }));

  const ex10: CaseSet['ex10'] = [];
  for (const c of [
    { label: 'd = 3, σ = 0.5', m: 5, d: 3, sigma: 0.5, far: false },
    { label: 'd = 4, σ = 1', m: 8, d: 4, sigma: 1, far: false },
    { label: 'a point far from every centre (σ = 0.1)', m: 4, d: 2, sigma: 0.1, far: true },
  ]) {
    const centres = matrix(rng, c.m, c.d, -1, 1);
    const x = c.far ? [r9(8 + rng.uniform()), r9(-8 - rng.uniform())] : uniformArray(rng, c.d, -1, 1);
    const ll = await parzenLogLikelihood(Float32Array.from(centres.flat()), Float32Array.from(x), c.sigma, { dim: c.d });
    ex10.push({ label: c.label, extreme: c.far, centres, x, sigma: c.sigma, expected: r9(ll[0]) });
  }

  const q1: CaseSet['q1'] = [0.01].map((d) => ({
    label: `D(G(z)) = ${d}`,
    d,
    expected: { saturating: generatorLossLogitGradient(d, 'saturating'), nonSaturating: generatorLossLogitGradient(d, 'nonSaturating') },
  }));

  const ex11: CaseSet['ex11'] = [{ steps: 3, batchSize: 4 }, { steps: 2, batchSize: 3 }].map((c) => {
    const base = { label: `${c.steps} steps, batch ${c.batchSize}`, gan: small(), lr: 0.05, ...c, realSeed: int(1, 1e6), realMean: 2, realStd: 0.5, zSeed: int(1, 1e6) };
    return { ...base, expected: referenceLoop(base) };
  });

  // drawn last, so that adding them left every other case of a seed as it was
  {
    const c = { inputs: int(5, 900), hiddenUnits: [int(2, 300), int(2, 300)], pieces: int(2, 6) };
    const d = mlpDiscriminator({ inputDim: c.inputs, hidden: c.hiddenUnits, activation: 'maxout', pieces: c.pieces, seed: 1 });
    ex7.push({ label: `${c.inputs} → maxout ${c.hiddenUnits[0]}×${c.pieces} → maxout ${c.hiddenUnits[1]}×${c.pieces} → 1`, ...c, expected: countParams(d) });
    d.dispose();
    const dFake = r9(0.05 + 0.9 * rng.uniform());
    const gradient = (v: GeneratorLossVariant) => generatorLossLogitGradient(dFake, v);
    q1.push({ label: `D(G(z)) = ${dFake}`, d: dFake, expected: { saturating: gradient('saturating'), nonSaturating: gradient('nonSaturating') } });
  }

  // q2 (drawn after the blocks above, so that adding it left their cases as they were): points in a box round the equilibrium, at a small, a middle and a large step size (η < 2: bounded orbits)
  const q2: CaseSet['q2'] = [0.1, r9(0.3 + 0.6 * rng.uniform()), r9(1.2 + 0.6 * rng.uniform())].map((eta) => {
    const points = matrix(rng, 5, 2, -2, 2);
    return { label: `η = ${eta}`, eta, points, dFirst: points.map((p) => bilinearStep(p, eta, 'dFirst')), gFirst: points.map((p) => bilinearStep(p, eta, 'gFirst')) };
  });

  return {
    format: CASES_FORMAT,
    visibility,
    seed,
    generatedBy: `npm run homework -- cases${visibility === 'hidden' ? ' --hidden' : ''} --seed ${seed}`,
    exercises: { ex1, ex2, ex3, ex4, ex5, ex6, ex7, ex8, ex9, ex10, q1, q2, ex11, ...generateTrainingCases(seed) },
  };
}

/**
 * One gradient step on min_x max_y x·y from `p` = [x, y]: 'dFirst' is Algorithm 1's order (gan.bilinearGame's
 * 'alternating': y moves, then x answers the new y); 'gFirst' the other order (x moves, then y answers it).
 */
export function bilinearStep(p: number[], eta: number, order: 'dFirst' | 'gFirst'): number[] {
  if (order === 'dFirst') {
    const t = bilinearGame({ mode: 'alternating', learningRate: eta, steps: 1, start: [p[0], p[1]] });
    return [t.x[1], t.y[1]];
  }
  const x = p[0] - eta * p[1];
  return [x, p[1] + eta * x];
}

export type LoopVariant = 'simultaneous' | 'alternating' | 'gFirst' | 'twoNoises';

/**
 * ex11 on the loop case's small GAN with the lib's steps and plain SGD: per step one real batch and one z, then
 * 'simultaneous' (the paper's code, gan.simultaneousStep: both gradients at the current weights, then both
 * applied). The other variants are the known mistakes the check recognises: 'alternating' (D's step, then G's
 * on the moved D: Algorithm 1 with k = 1), 'gFirst' (G's step, then D's on the moved G), 'twoNoises' (the
 * simultaneous update with a second z drawn for G).
 */
export function referenceLoop(c: Omit<LoopCase, 'expected'>, variant: LoopVariant = 'simultaneous'): { dAfter: number[]; gAfter: number[] } {
  const run = startSmallGanRun(c);
  const { D, models, dOpt, gOpt, sampleReal, prior, rng } = run;
  for (let s = 0; s < c.steps; s++) {
    const real = sampleReal(c.batchSize);
    const z = prior.sample(c.batchSize, rng);
    if (variant === 'simultaneous') simultaneousStep({ ...models, dOptimizer: dOpt, gOptimizer: gOpt, real, z });
    else if (variant === 'alternating') {
      discriminatorStep({ ...models, optimizer: dOpt, real, z });
      generatorStep({ ...models, optimizer: gOpt, z });
    } else if (variant === 'gFirst') {
      generatorStep({ ...models, optimizer: gOpt, z });
      discriminatorStep({ ...models, optimizer: dOpt, real, z });
    } else {
      const z2 = prior.sample(c.batchSize, rng);
      // both gradients at the current weights: G's on its own z, D's on the first
      const dBefore = D.getWeights().map((w) => w.clone());
      discriminatorStep({ ...models, optimizer: dOpt, real, z });
      const dAfter = D.getWeights().map((w) => w.clone());
      D.setWeights(dBefore);
      generatorStep({ ...models, optimizer: gOpt, z: z2 });
      D.setWeights(dAfter);
      tf.dispose([...dBefore, ...dAfter, z2]);
    }
    tf.dispose([real, z]);
  }
  return finishSmallGanRun(run);
}
