/**
 * The homework's exercises, in one place: their ids (the nbgrader grade_id of the solution cell), the
 * function each one asks for, its points, what it depends on and the article/paper section it practises.
 * The notebooks, the self-checks, the case generator and the grader all read this list.
 */
export type ExerciseKind = 'function' | 'written';

export interface Exercise {
  /** grade_id of the solution cell (and the argument of hw.check). */
  id: string;
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

export const EXERCISES: readonly Exercise[] = Object.freeze([
  { id: 'ex1', title: 'Sample the prior z ~ U(−√3, √3)', kind: 'function', fn: 'samplePrior', points: 2, dependsOn: [], references: ['uniformPrior', 'normalPrior'], section: 'article §2 (z is random noise); paper §3 and mnist.yaml (the prior)' },
  { id: 'ex2', title: "D's loss = −V, from logits", kind: 'function', fn: 'discriminatorLoss', points: 3, dependsOn: [], references: ['discriminatorLoss', 'valueFunction', 'logSigmoid', 'logOneMinusSigmoid'], section: 'article §3 (BCE = −V); paper Eq. 1' },
  { id: 'ex3', title: "G's loss: saturating and non-saturating", kind: 'function', fn: 'generatorLoss', points: 3, dependsOn: [], references: ['generatorLoss', 'logSigmoid', 'logOneMinusSigmoid'], section: 'article §3 point 3; paper §3' },
  { id: 'ex4', title: 'One D step (D\'s variables only)', kind: 'function', fn: 'discriminatorStep', points: 3, dependsOn: ['ex2'], references: ['discriminatorStep', 'simultaneousStep'], section: 'article §3; paper Algorithm 1 (D ascends V)' },
  { id: 'ex5', title: 'One G step (D frozen)', kind: 'function', fn: 'generatorStep', points: 3, dependsOn: ['ex3'], references: ['generatorStep', 'simultaneousStep'], section: 'article §3; paper Algorithm 1 and §3' },
  { id: 'ex6', title: 'A maxout layer', kind: 'function', fn: 'maxout', points: 2, dependsOn: [], references: ['Maxout'], section: 'paper §5 (maxout D); mnist.yaml' },
  { id: 'ex7', title: "A maxout D's parameter count", kind: 'function', fn: 'discriminatorParameterCount', points: 1, dependsOn: [], section: 'paper §5; mnist.yaml (784 → maxout 240×5 → maxout 240×5 → 1)', references: ['countParams', 'paperMnistDiscriminator', 'mlpDiscriminator', 'PAPER_MNIST'] },
  { id: 'ex8', title: 'The optimal discriminator D*', kind: 'function', fn: 'optimalDiscriminator', points: 2, dependsOn: [], references: ['optimalDiscriminator'], section: 'paper Proposition 1' },
  { id: 'ex9', title: 'C(G) on a grid', kind: 'function', fn: 'virtualCriterion', points: 2, dependsOn: ['ex8'], references: ['virtualCriterion', 'jensenShannon', 'klDivergence', 'valueFunctionByQuadrature'], section: 'paper Theorem 1: C(G) = −log 4 + 2·JSD' },
  { id: 'ex10', title: 'The Parzen-window log-likelihood', kind: 'function', fn: 'parzenLogLikelihood', points: 3, dependsOn: [], references: ['parzenLogLikelihood'], section: 'paper §5, Table 1 (parzen_ll.py)' },
  { id: 'q1', title: "Why G's loss was changed: the gradient at D(G(z)) = d", kind: 'function', fn: 'gradientsAt', points: 2, dependsOn: [], references: ['generatorLossLogitGradient'], section: 'article §3 point 3; paper §3' },
  { id: 'q1_written', title: "Why G's loss was changed (written)", kind: 'written', points: 2, dependsOn: [], section: 'paper §3' },
  { id: 'q2_written', title: 'Alternating gradient steps on min_x max_y xy (written)', kind: 'written', points: 2, dependsOn: [], section: 'paper Algorithm 1; §6 (training difficulties)' },
  { id: 'ex11', title: 'Algorithm 1 with your own functions', kind: 'function', fn: 'trainGan', points: 3, dependsOn: ['ex1', 'ex4', 'ex5'], references: ['trainGan', 'discriminatorStep', 'generatorStep', 'uniformPrior'], section: 'article §3 (Algorithm 1); paper Algorithm 1 and Figure 1' },
]);

/** The exercise with this id; a clear error naming the valid ids otherwise. */
export function exercise(id: string): Exercise {
  const e = EXERCISES.find((x) => x.id === id);
  if (!e) throw new Error(`homework: no exercise "${id}". Exercises: ${EXERCISES.map((x) => x.id).join(', ')}.`);
  return e;
}

/** Autograded exercises (a function to check), in notebook order. */
export function autograded(): Exercise[] {
  return EXERCISES.filter((e) => e.kind === 'function');
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
