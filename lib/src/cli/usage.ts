/** The help texts and the error that means "the command line was wrong" (exit code 2). */
import { EXPERIMENTS } from '../experiments/registry';
import { PAPER_MNIST_EXPERIMENT } from '../experiments/paperMnist';

const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS).join(' | ');
/** The paper experiment's protocol, for the defaults the help texts name (each run uses its own experiment's). */
const P = PAPER_MNIST_EXPERIMENT.parzen;
const GRID = `logspace(${P.sigmaGrid.start}, ${P.sigmaGrid.stop}, ${P.sigmaGrid.num})`;

export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = USAGE,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const TRAIN_USAGE = `Usage: tsgan train --experiment NAME [options]

Trains an experiment: paper-mnist is the paper's MNIST GAN (Goodfellow et al. 2014; settings in
lib/src/experiments/paperMnist.ts), mlp-mnist the small MLP GAN of notebook 05 (experiments/mlpMnist.ts).
Checkpoints at the end of every epoch and on Ctrl-C/SIGTERM; --resume continues from the last one.
Defaults below are paper-mnist's; every experiment has its own (see its file).

Options:
  --experiment NAME      the experiment: ${EXPERIMENT_NAMES}
  --out DIR              run folder (default runs/NAME): checkpoint/, metrics.jsonl, samples.png; marked
                         .tsgan-run and locked while training (a non-empty folder that is not a run is refused)
  --epochs N             epochs in total (default 100; the paper does not say; raise it and --resume to go on)
  --steps N              stop after N steps in total (for timing and tests; a checkpoint is written)
  --seed S               seed of every random stream (default 1)
  --backend NAME         wasm | cpu | tensorflow (default: the fastest available)
  --update MODE          simultaneous (the paper's code, default) | alternating (Algorithm 1)
  --k K                  D steps per G step (alternating only; the paper used 1)
  --shared-forward       simultaneous only: G's loss from D's own forward pass on G(z), the same dropout masks,
                         as the paper's Theano graph (one pass of D fewer per step; default: a second pass)
  --batch-size N         minibatch size (default 100, the paper's)
  --train-count N        use only the first N training images (tests, quick runs; default all 50000)
  --resume               continue the run in --out from its last complete checkpoint
  --validate-every N     every N epochs, score G's Parzen log-likelihood on validation images (and, for the
                         curves only, test images) into validation.jsonl and keep the best epoch by validation
                         in best/ (default 10, as the paper's code monitored it; 0: never)
  --set KEY=VALUE        override any field of the experiment by its path in the experiment's file, e.g.
                         --set optimizer.learningRate=0.05 --set prior.kind=normal --set generator.hidden=[512,512]
                         (repeatable; checked against the field's type; recorded in the checkpoint and settings.json;
                         a resumed run keeps its own)
  --init-from DIR        start a new run in --out from an exported model (tsgan export) or a checkpoint: its G, D,
                         step, epoch, data order and schedules; momentum velocities restart at zero
  -h, --help             this help`;

export const EVAL_USAGE = `Usage: tsgan eval parzen <run folder or checkpoint> [options]

The Parzen-window log-likelihood of Table 1 (parzen_ll.py): centres = samples of G, σ from the run's
experiment's grid (paper-mnist: ${GRID}) by the first validation images, mean ± s.e. over the test images.
Defaults are the run's experiment's parzen and baselines fields (paper-mnist's shown).

Options:
  --samples N            kernel centres (default ${P.centres})
  --validation-count N   validation images for σ (default ${P.validationCount})
  --test-count N         test images scored (default ${P.testCount})
  --baselines            also score ${PAPER_MNIST_EXPERIMENT.baselines.realCentres} real training images and ${PAPER_MNIST_EXPERIMENT.baselines.kMeans.k} k-means centroids (Theis et al. 2016)
  --kmeans-iterations N  Lloyd iterations of the k-means baseline (default ${PAPER_MNIST_EXPERIMENT.baselines.kMeans.iterations})
  --seed S               seed of the samples (default: the run's seed)
  --backend NAME         wasm | cpu | tensorflow
  --out DIR              where results.json and results.md go (default: the run folder; for a model folder
                         such as models/paper-mnist: build/runs/<name>/, the model stays untouched)
  -h, --help             this help`;

export const FIGURES_USAGE = `Usage: tsgan figures <run folder or checkpoint> [options]

Writes figure2.png (4 rows × 5 samples + the nearest training image of each row's 5th sample, framed)
and figure3.png (rows of digits interpolated linearly between two z).

Options:
  --out DIR              output folder (default: the run folder; for a model folder: build/runs/<name>/)
  --seed S               seed of the noise (default: the run's seed)
  --scale N              PNG pixels per image pixel (default 2)
  --backend NAME         wasm | cpu | tensorflow
  -h, --help             this help`;

export const EXPORT_USAGE = `Usage: tsgan export <run folder or checkpoint> --out DIR

Writes a checkpoint with the models only (no optimiser state): what a repository can ship so that
\`tsgan eval\` and \`tsgan figures\` work without training. --out must be a new or empty folder or an
earlier export: never a run folder, its checkpoint/ or best/, or a resumable checkpoint.

Options:
  --out DIR              the model folder to write (e.g. models/paper-mnist)
  --backend NAME         wasm | cpu | tensorflow
  -h, --help             this help`;

export const SEAL_USAGE = `Usage: tsgan seal <folder>...

Adds the checksum over manifest.json (which holds the weights' sha256) to a checkpoint, a run folder's
checkpoint/ and best/, or a model folder (models/paper-mnist, models/mnist-classifier) saved before tsgan
wrote one, so that it loads verified. Seal only copies you trust: every other check runs first, and only
manifest.json is rewritten (the weight files stay byte for byte).

Options:
  --force                also replace a checksum that no longer matches: after you edited a manifest on purpose
                         (e.g. corrected its settings) and trust the edit
  -h, --help             this help`;

export const CLASSIFIER_USAGE = `Usage: tsgan train-classifier --out DIR [options]

Trains the MNIST classifier that judges notebook 09's conditional GAN (lib/src/classifier/model.ts; the
training settings are in lib/src/cli/trainClassifier.ts) on all 60,000 MNIST training images, measures its
accuracy on the 10,000 test images and saves the weights, a manifest with that number and this command, and
a README. A folder holding a classifier with a higher test accuracy is kept unless --force is given.

Options:
  --out DIR              the classifier folder to write (e.g. models/mnist-classifier)
  --epochs N             epochs (default 6)
  --seed S               seed of the initial weights and of the minibatch order (default 1)
  --force                replace a classifier in --out even when its test accuracy is higher
  -h, --help             this help`;

export const USAGE = `Usage: tsgan <command> [options]

Commands:
  train             train an experiment, e.g. the paper's MNIST GAN (tsgan train --help)
  eval              Parzen-window log-likelihood, Table 1 (tsgan eval parzen --help)
  figures           the paper's Figures 2 and 3 as PNG (tsgan figures --help)
  export            copy a run's models without optimiser state (tsgan export --help)
  seal              add the checksum to a checkpoint or model folder saved without one (tsgan seal --help)
  train-classifier  train the MNIST classifier of notebook 09 (tsgan train-classifier --help)

Exit codes: 0 done, 1 failed, 2 bad command line, 130/143 stopped by Ctrl-C/SIGTERM (checkpoint saved).
Under \`npm run\`, relative paths are taken from the folder where npm was started (npm's INIT_CWD).`;
