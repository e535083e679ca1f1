// Assignment 2's named mistakes, one fixture each: [exercise, the wrong code (a function body), expected status,
// expected score, expected mistake name]. tests/homework.test.mjs grades them through the grader, as Assignment 1's.

/** t1's answer with `size(h, l)` the (wrong) size of one layer's output, and `channels` each layer's. */
const convBody = (size, channels = 'l.filters') =>
  `let [h, w, c] = input;\nreturn layers.map((l) => { h = ${size('h')}; w = ${size('w')}; c = ${channels}; return [h, w, c]; });`;
const rightSize = (d) => `(${d} - 1) * l.stride + l.kernel - 2 * l.padding`;

/** t2's answer: `cut` is the squared distance a high-quality sample keeps, `covers` which modes count. */
const ringBody = ({ cut = '(3 * std) ** 2', modesFrom = 'perMode', covers = '(c) => c > 0 && c >= 0.2 * points.length / centres.length' } = {}) =>
  [
    'const perMode = centres.map(() => 0); const nearest = centres.map(() => 0);',
    'for (const [x, y] of points) {',
    '  let best = 0; let bestD2 = Infinity;',
    '  centres.forEach(([cx, cy], k) => { const d2 = (x - cx) ** 2 + (y - cy) ** 2; if (d2 < bestD2) { best = k; bestD2 = d2; } });',
    `  nearest[best]++; if (bestD2 <= ${cut}) perMode[best]++;`,
    '}',
    `return { modesCovered: ${modesFrom}.filter(${covers}).length, highQualityShare: perMode.reduce((s, c) => s + c, 0) / points.length };`,
  ].join('\n');

const oneHot = (classes) => `tf.oneHot(tf.tensor1d(labels, 'int32'), ${classes}).toFloat()`;
const psi = 'tf.add(tf.matMul(features, psiKernel), psiBias)';

/**
 * t5's loop: 'fresh' draws a z for each D step (right); 'oneZForD' one z for all k of them; 'oneZ' that z for G's
 * step too; 'kIgnored' one D step per iteration. `leak` leaves each step's batches behind.
 */
function kStepsBody(noise, leak = false) {
  const shared = noise === 'oneZForD' || noise === 'oneZ';
  return [
    'const dV = D.trainableWeights.map((w) => w.read()); const gV = G.trainableWeights.map((w) => w.read());',
    'const m = options.batchSize;',
    'for (let it = 0; it < options.iterations; it++) {',
    shared ? '  const zD = samplePrior(m, options.latentDim, rng);' : '',
    `  for (let j = 0; j < ${noise === 'kIgnored' ? '1' : 'options.k'}; j++) {`,
    `    const real = sampleReal(m); const z = ${shared ? 'zD' : 'samplePrior(m, options.latentDim, rng)'};`,
    '    tf.tidy(() => { const fake = G.apply(z, { training: true }); dOptimizer.minimize(() => discriminatorLoss(D.apply(real, { training: true }), D.apply(fake, { training: true })), false, dV); });',
    leak ? '' : shared ? '    real.dispose();' : '    tf.dispose([real, z]);',
    '  }',
    shared && noise !== 'oneZ' ? '  zD.dispose();' : '',
    `  const z = ${noise === 'oneZ' ? 'zD' : 'samplePrior(m, options.latentDim, rng)'};`,
    "  tf.tidy(() => { gOptimizer.minimize(() => generatorLoss(D.apply(G.apply(z, { training: true }), { training: true }), 'nonSaturating'), false, gV); });",
    leak ? '' : '  z.dispose();',
    '}',
  ].join('\n');
}

export const TRAINING_MISTAKES = {
  "t1 the convolution's formula": [
    't1',
    convBody((d) => `Math.floor((${d} + 2 * l.padding - l.kernel) / l.stride) + 1`),
    'fail',
    0,
    "the convolution's formula",
  ],
  't1 padding added': ['t1', convBody((d) => `(${d} - 1) * l.stride + l.kernel + 2 * l.padding`), 'fail', 0, 'padding added, not removed'],
  't1 padding removed on one side': ['t1', convBody((d) => `(${d} - 1) * l.stride + l.kernel - l.padding`), 'fail', 0, 'padding removed on one side only'],
  't1 channels not changed': ['t1', convBody(rightSize, 'c'), 'fail', 0, 'channels not changed'],
  't1 stride times the input': ['t1', convBody((d) => `${d} * l.stride`), 'fail', 0, "stride times the input ('same' padding)"],
  't2 no 3σ cut': ['t2', ringBody({ modesFrom: 'nearest' }), 'fail', 0, 'modes counted without the 3σ quality cut'],
  't2 σ instead of 3σ': ['t2', ringBody({ cut: 'std ** 2' }), 'fail', 0, 'σ instead of 3σ'],
  't2 no fair share': ['t2', ringBody({ covers: '(c) => c > 0' }), 'fail', 0, 'no fair-share threshold'],
  't2 calls the reference': [
    't2',
    'const m = gan.mixtureMetrics(points.flat(), { centres: centres as any, std });\nreturn { modesCovered: m.modesCovered, highQualityShare: m.highQualityShare };',
    'fail',
    0,
    "calls the library's reference",
  ],
  't3 one-hot on the wrong axis': [
    't3',
    `return tf.tidy(() => tf.concat([z, tf.transpose(${oneHot('classes')})], 1) as tf.Tensor2D);`,
    'fail',
    0,
    'one-hot on the wrong axis',
  ],
  't3 label before z': ['t3', `return tf.tidy(() => tf.concat([${oneHot('classes')}, z], 1) as tf.Tensor2D);`, 'fail', 0, 'label before z'],
  't3 the label as a number': ['t3', 'return tf.tidy(() => tf.concat([z, tf.tensor2d(labels, [labels.length, 1])], 1) as tf.Tensor2D);', 'fail', 0, 'the label as a number, not one-hot'],
  "t4 label concatenated to D's output": [
    't4',
    `return tf.tidy(() => tf.concat([${psi}, ${oneHot('embedding.shape[0]')}], 1) as tf.Tensor2D);`,
    'fail',
    0,
    "the label concatenated to D's output",
  ],
  't4 projection missing': ['t4', `return tf.tidy(() => ${psi} as tf.Tensor2D);`, 'fail', 0, 'the projection term missing'],
  't5 the same noise for every D step': ['t5', kStepsBody('oneZForD'), 'fail', 0, 'the same noise for every D step'],
  't4 bias left out': [
    't4',
    "return tf.tidy(() => tf.add(tf.matMul(features, psiKernel), tf.sum(tf.mul(tf.gather(embedding, tf.tensor1d(labels, 'int32')), features), 1, true)) as tf.Tensor2D);",
    'fail',
    0,
    'bias left out',
  ],
  't5 one noise batch per iteration': ['t5', kStepsBody('oneZ'), 'fail', 0, 'one noise batch per iteration'],
  't5 k ignored': ['t5', kStepsBody('kIgnored'), 'fail', 0, 'k ignored'],
  't5 leak': ['t5', kStepsBody('fresh', true), 'partial', 3, 'tensors left behind'],
};
