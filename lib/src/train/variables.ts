import * as tf from '@tensorflow/tfjs';

/** The tf.Variables behind a model's trainable weights, in the model's order (what an optimiser updates). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  if (!model || !Array.isArray((model as tf.LayersModel).trainableWeights)) {
    throw new Error('trainableVariables: expected a tf.LayersModel (e.g. from mlpGenerator or mlpDiscriminator)');
  }
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) {
    throw new Error(
      `trainableVariables: model "${model.name}" has no trainable weights (was it frozen with trainable = false?)`,
    );
  }
  return vars;
}

/** Applies a model in training or inference mode (dropout and batch norm behave accordingly). */
export function applyModel(model: tf.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  return model.apply(x, { training }) as tf.Tensor;
}

/** Reads the step's metrics with one download (each dataSync/array from a tidy costs a scan). */
export function readMetrics(t: tf.Tensor): Float32Array {
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}
