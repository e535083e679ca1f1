/**
 * The one list to extend when tsgan replaces another wasm kernel: for each kernel it registers (named as in
 * tfjs-core's kernel_names), the op test files of @tensorflow/tfjs-core (paths under its dist/ops/) that
 * exercise that kernel. The tsgan run fails when a replaced tfjs kernel has no entry here, and when an entry
 * names a kernel that tsgan no longer replaces, so this list follows lib/src/kernels/install.ts.
 * Kernels that are tsgan's own (not tfjs kernels: TsganAdam, ...) have no tfjs test; lib/test covers them.
 */
export const OP_TESTS = {
  BatchMatMul: ['mat_mul_test.js'],
  _FusedMatMul: ['fused/fused_mat_mul_test.js'],
  Conv2D: ['conv2d_test.js'],
  FusedConv2D: ['fused/fused_conv2d_test.js'],
  // conv2d_test's gradient specs differentiate through both backprop kernels; conv2dTranspose is
  // Conv2DBackpropInput's forward use.
  Conv2DBackpropFilter: ['conv2d_test.js'],
  Conv2DBackpropInput: ['conv2d_transpose_test.js', 'conv2d_test.js'],
  Sum: ['sum_test.js'],
  Mean: ['mean_test.js'],
  Tile: ['tile_test.js'],
  Max: ['max_test.js'],
  Equal: ['equal_test.js'],
  Multiply: ['arithmetic_test.js'],
  Greater: ['greater_test.js'],
  LeakyRelu: ['leaky_relu_test.js'],
  Select: ['where_test.js'],
  FusedBatchNorm: ['batchnorm_test.js'],
  Identity: ['clone_test.js'],
};

/** Every test file once, in a fixed order. */
export function testFiles() {
  return [...new Set(Object.values(OP_TESTS).flat())].sort();
}

/**
 * What is wrong between the kernels tsgan registered and OP_TESTS, as messages (empty when they agree).
 * tfjsKernelNames: the kernel names tfjs-core defines (tsgan's own kernels are not among them).
 */
export function coverageProblems(installed, tfjsKernelNames) {
  const problems = [];
  const known = new Set(tfjsKernelNames);
  for (const name of installed) {
    if (known.has(name) && !(name in OP_TESTS)) {
      problems.push(
        `tsgan replaces the wasm kernel '${name}' but tests/tfjs-ops/kernelTests.mjs names no tfjs-core op ` +
          `test for it: add the dist/ops/*_test.js files that exercise '${name}' to OP_TESTS.`,
      );
    }
  }
  for (const name of Object.keys(OP_TESTS)) {
    if (!installed.includes(name)) {
      problems.push(`OP_TESTS lists '${name}', which tsgan no longer replaces on wasm: remove its entry.`);
    }
  }
  return problems;
}
