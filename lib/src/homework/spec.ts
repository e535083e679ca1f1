/**
 * The homework's assignments and their exercises, in one place: each exercise's id (the nbgrader grade_id of
 * the solution cell, unique across assignments), its assignment, the function it asks for, its points, what it
 * depends on and the article/paper/notebook section it practises. The notebooks, the self-checks, the case
 * generator and the grader all read this list.
 */
export type ExerciseKind = 'function' | 'written';

/** An assignment: homework/source/<name>.ipynb (solutions) and homework/release/<name>.ipynb (for students). */
export interface Assignment {
  name: string;
  title: string;
  /**
   * The grader's default time limit for one exercise, in seconds (`--timeout` replaces it): a student's
   * worst case is its exercises × this, so it keeps a class within the grading budget.
   */
  timeoutSeconds: number;
}

export const ASSIGNMENTS: readonly Assignment[] = Object.freeze([
  { name: 'gan_homework', title: 'Assignment 1: the original GAN, one function at a time', timeoutSeconds: 20 },
  // 5 exercises × 12 s: at most 60 s per student (an honest submission takes about 0.3 s of CPU)
  { name: 'gan_training', title: 'Assignment 2: training and failure', timeoutSeconds: 12 },
]);

export interface Exercise {
  /** grade_id of the solution cell (and the argument of hw.check); unique across assignments. */
  id: string;
  /** The assignment it belongs to (ASSIGNMENTS). */
  assignment: string;
  title: string;
  kind: ExerciseKind;
  /** Name of the function the solution cell defines (autograded exercises). */
  fn?: string;
  points: number;
  /** Earlier exercises whose functions this one calls: the grader uses their reference solutions. */
  dependsOn: string[];
  /** Where the article (ARTICLE.md outline) and the paper treat it. */
  section: string;
  /** The library's functions that compute what this exercise asks for: calling them answers nothing (references.ts). */
  references?: string[];
}

const A1 = 'gan_homework';
const A2 = 'gan_training';

export const EXERCISES: readonly Exercise[] = Object.freeze([
  { id: 'ex1', assignment: A1, title: 'Sample the prior: uniform, mean 0, variance 1', kind: 'function', fn: 'samplePrior', points: 2, dependsOn: [], references: ['uniformPrior', 'normalPrior'], section: 'article §2 (z is random noise); paper §3 and mnist.yaml (the prior); notebook 01' },
  { id: 'ex2', assignment: A1, title: "D's loss = −V, from logits", kind: 'function', fn: 'discriminatorLoss', points: 3, dependsOn: [], references: ['discriminatorLoss', 'valueFunction', 'logSigmoid', 'logOneMinusSigmoid'], section: 'article §3 (BCE = −V); paper Eq. 1; notebooks 02 and 03' },
  { id: 'ex3', assignment: A1, title: "G's loss: saturating and non-saturating", kind: 'function', fn: 'generatorLoss', points: 3, dependsOn: [], references: ['generatorLoss', 'logSigmoid', 'logOneMinusSigmoid'], section: 'article §3 point 3; paper §3; notebook 04' },
  { id: 'ex4', assignment: A1, title: 'One D step (D\'s variables only)', kind: 'function', fn: 'discriminatorStep', points: 3, dependsOn: ['ex2'], references: ['discriminatorStep', 'simultaneousStep'], section: 'article §3; paper Algorithm 1 (D ascends V); notebook 03' },
  { id: 'ex5', assignment: A1, title: 'One G step (D frozen)', kind: 'function', fn: 'generatorStep', points: 3, dependsOn: ['ex3'], references: ['generatorStep', 'simultaneousStep'], section: 'article §3; paper Algorithm 1 and §3; notebook 04' },
  { id: 'ex6', assignment: A1, title: 'A maxout layer', kind: 'function', fn: 'maxout', points: 2, dependsOn: [], references: ['Maxout'], section: 'paper §5 (maxout D); mnist.yaml; notebook 06' },
  { id: 'ex7', assignment: A1, title: "A maxout D's parameter count", kind: 'function', fn: 'discriminatorParameterCount', points: 1, dependsOn: [], section: 'paper §5; mnist.yaml (784 → maxout 240×5 → maxout 240×5 → 1); notebook 06', references: ['countParams', 'paperMnistDiscriminator', 'mlpDiscriminator', 'PAPER_MNIST'] },
  { id: 'ex8', assignment: A1, title: 'The optimal discriminator D*', kind: 'function', fn: 'optimalDiscriminator', points: 2, dependsOn: [], references: ['optimalDiscriminator'], section: 'paper Proposition 1; notebook 02' },
  { id: 'ex9', assignment: A1, title: 'C(G) on a grid', kind: 'function', fn: 'virtualCriterion', points: 2, dependsOn: ['ex8'], references: ['virtualCriterion', 'jensenShannon', 'klDivergence', 'valueFunctionByQuadrature'], section: 'paper Theorem 1: C(G) = −log 4 + 2·JSD; notebook 02' },
  { id: 'ex10', assignment: A1, title: 'The Parzen-window log-likelihood', kind: 'function', fn: 'parzenLogLikelihood', points: 3, dependsOn: [], references: ['parzenLogLikelihood'], section: 'paper §5, Table 1 (parzen_ll.py); notebook 06' },
  { id: 'q1', assignment: A1, title: "Why G's loss was changed: the gradient at D(G(z)) = d", kind: 'function', fn: 'gradientsAt', points: 2, dependsOn: [], references: ['generatorLossLogitGradient'], section: 'article §3 point 3; paper §3; notebook 04' },
  { id: 'q1_written', assignment: A1, title: "Why G's loss was changed (written)", kind: 'written', points: 2, dependsOn: [], section: 'paper §3; notebook 04' },
  { id: 'q2', assignment: A1, title: "What Algorithm 1's order keeps on min_x max_y xy", kind: 'function', fn: 'conservedQuantity', points: 2, dependsOn: [], references: ['bilinearGame', 'closestReturn'], section: 'paper Algorithm 1 (D first); §6 (training is hard to balance); notebook 08 §5' },
  { id: 'q2_written', assignment: A1, title: 'The proof, and what it says about alternating steps (written)', kind: 'written', points: 3, dependsOn: [], section: 'paper Algorithm 1; §6; notebook 08 §5' },
  { id: 'ex11', assignment: A1, title: "The paper code's simultaneous update", kind: 'function', fn: 'trainSimultaneous', points: 3, dependsOn: ['ex1', 'ex2', 'ex3'], references: ['trainGan', 'simultaneousStep', 'discriminatorStep', 'generatorStep', 'uniformPrior'], section: "paper §3 and its code (one Theano graph: both players' updates from one batch); article §3; notebook 05 §1 (mode 'simultaneous')" },
  // Assignment 2. t5 uses Assignment 1's prior and losses: the grader hands it the library's (runtime/deps.ts).
  { id: 't1', assignment: A2, title: "The DCGAN G's transposed convolutions, layer by layer", kind: 'function', fn: 'transposedConvShapes', points: 3, dependsOn: [], references: ['dcganGenerator', 'conditionalDcganGenerator', 'netOf'], section: 'Radford et al. 2016 (fractionally-strided convolutions in G); notebook 07 §3 and §4' },
  { id: 't2', assignment: A2, title: 'Modes covered and high-quality share on the 8-Gaussian ring', kind: 'function', fn: 'ringMetrics', points: 3, dependsOn: [], references: ['mixtureMetrics'], section: 'paper §6 (the Helvetica scenario: G collapses to few modes); notebook 08 §1 and §4' },
  { id: 't3', assignment: A2, title: "The conditional G's input [z | one-hot y]", kind: 'function', fn: 'conditionalInput', points: 2, dependsOn: [], references: ['oneHotLabels', 'conditionalSamples', 'conditionalGenerator'], section: 'paper §7 (conditional models, the first extension it names); Mirza & Osindero 2014; notebook 09 §3' },
  { id: 't4', assignment: A2, title: "The projection D's logit ψ(φ(x)) + e_yᵀ φ(x)", kind: 'function', fn: 'projectionLogit', points: 3, dependsOn: [], references: ['projectionDiscriminator', 'conditionalDiscriminator'], section: 'paper §7; Miyato & Koyama 2018 (projection discriminator); notebook 09 §3' },
  { id: 't5', assignment: A2, title: 'Algorithm 1 with k D steps per G step', kind: 'function', fn: 'trainAlgorithm1', points: 4, dependsOn: ['ex1', 'ex2', 'ex3'], references: ['trainGan', 'discriminatorStep', 'generatorStep', 'simultaneousStep', 'trainConditionalGan'], section: 'paper Algorithm 1 (k steps of D, each on fresh minibatches, then one of G); notebook 05 §1; notebook 08 §6 (k = 5)' },
]);

/** The exercise with this id; a clear error naming the valid ids otherwise. */
export function exercise(id: string): Exercise {
  const e = EXERCISES.find((x) => x.id === id);
  if (!e) throw new Error(`homework: no exercise "${id}". Exercises: ${EXERCISES.map((x) => x.id).join(', ')}.`);
  return e;
}

/** The assignment called `name`; a clear error naming the assignments otherwise. */
export function assignment(name: string): Assignment {
  const a = ASSIGNMENTS.find((x) => x.name === name);
  if (!a) throw new Error(`homework: no assignment "${name}". Assignments: ${ASSIGNMENTS.map((x) => x.name).join(', ')}.`);
  return a;
}

/** The exercises of one assignment, in notebook order. */
export function exercisesOf(name: string): Exercise[] {
  assignment(name);
  return EXERCISES.filter((e) => e.assignment === name);
}

/** Autograded exercises (a function to check), in notebook order: of one assignment, or of all. */
export function autograded(name?: string): Exercise[] {
  return (name === undefined ? [...EXERCISES] : exercisesOf(name)).filter((e) => e.kind === 'function');
}

/** Points of an assignment: autograded, written and their total (the notebook's overview states them). */
export function pointsOf(name: string): { autograded: number; written: number; total: number } {
  const sum = (kind: ExerciseKind) => exercisesOf(name).filter((e) => e.kind === kind).reduce((t, e) => t + e.points, 0);
  const [auto, written] = [sum('function'), sum('written')];
  return { autograded: auto, written, total: auto + written };
}

/** The ids an exercise needs, transitively, in notebook order (the grader puts their reference cells first). */
export function dependencies(id: string): string[] {
  const seen = new Set<string>();
  const visit = (x: string): void => {
    for (const d of exercise(x).dependsOn) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(id);
  return EXERCISES.map((e) => e.id).filter((x) => seen.has(x));
}
