/**
 * Reference cases: inputs and the outputs the lib's tested functions give for them. The public ones are
 * committed in homework/cases/public.json (made by `npm run homework -- cases`); a teacher makes hidden
 * ones with a seed of their own and keeps them out of the repository. Nothing here is typed by hand.
 */
import fs from 'node:fs';
import path from 'node:path';

export const CASES_FORMAT = 'tsgan-homework-cases/1';

/** The two small MLPs the step and loop exercises train (built with gan.mlpGenerator / gan.mlpDiscriminator). */
export interface SmallGan {
  latentDim: number;
  dataDim: number;
  gHidden: number[];
  dHidden: number[];
  gSeed: number;
  dSeed: number;
}

export interface Case {
  /** Short description shown in messages ("ordinary logits", "|logit| = 100"). */
  label: string;
  /** Extreme inputs (huge logits, far points, zero densities): failing only these earns partial credit. */
  extreme?: boolean;
  /** Set on loading from a hidden file: messages then do not show this case's numbers. */
  hidden?: boolean;
}

export interface PriorCase extends Case { n: number; dim: number; seed: number; expected: number[] }
export interface DLossCase extends Case { real: number[]; fake: number[]; expected: number }
export interface GLossCase extends Case { fake: number[]; variant: 'saturating' | 'nonSaturating'; expected: number }
export interface DStepCase extends Case {
  gan: SmallGan; lr: number; real: number[][]; z: number[][];
  expected: { loss: number; dAfter: number[]; gAfter: number[] };
}
export interface GStepCase extends Case {
  gan: SmallGan; lr: number; z: number[][];
  expected: { loss: number; dAfter: number[]; gAfter: number[]; gAfterSaturating: number[] };
}
export interface MaxoutCase extends Case { x: number[][]; kernel: number[][]; bias: number[]; units: number; pieces: number; expected: number[][] }
/** A maxout D: `inputs` → maxout layers of `hiddenUnits` units with `pieces` pieces each → one output unit. */
export interface CountCase extends Case { inputs: number; hiddenUnits: number[]; pieces: number; expected: number }
export interface DStarCase extends Case { pData: number[]; pG: number[]; expected: number[] }
export interface CriterionCase extends Case { pData: number[]; pG: number[]; dx: number; expected: number }
export interface ParzenCase extends Case { centres: number[][]; x: number[]; sigma: number; expected: number }
export interface GradientCase extends Case { d: number; expected: { saturating: number; nonSaturating: number } }
/**
 * q2: points of the plane, their images after one step of Algorithm 1's order (y first, then x) and after one
 * step of the other order (x first), at step size eta. The student's quantity is judged by what it does on
 * them (the same at a point and at its image, not the same everywhere), so any function of the invariant passes.
 */
export interface InvariantCase extends Case {
  eta: number; points: number[][]; dFirst: number[][]; gFirst: number[][];
}
/** ex11: `steps` simultaneous updates (one real batch and one z per step, both players' gradients before either moves). */
export interface LoopCase extends Case {
  gan: SmallGan; lr: number; steps: number; batchSize: number; realSeed: number; realMean: number; realStd: number; zSeed: number;
  expected: { dAfter: number[]; gAfter: number[] };
}

/** A transposed-convolution layer as PyTorch's DCGAN writes it: ConvTranspose2d(in, filters, kernel, stride, padding). */
export interface ConvTLayer { filters: number; kernel: number; stride: number; padding: number }
/** t1: the [height, width, channels] after each layer, from an input [size, size, channels]. */
export interface ConvShapeCase extends Case { input: number[]; layers: ConvTLayer[]; expected: number[][] }
/** t2: points of the plane (rows [x, y]) against the modes' centres and std; expected [modes covered, high-quality share]. */
export interface RingCase extends Case { points: number[][]; centres: number[][]; std: number; expected: number[] }
/** t3: [z | one-hot(labels)], rows of z and one label per row. */
export interface CondInputCase extends Case { z: number[][]; labels: number[]; classes: number; expected: number[][] }
/** t4: the projection D's logits from D's features φ(x), ψ's kernel and bias and the class embedding E ([classes, features]). */
export interface ProjectionCase extends Case {
  features: number[][]; labels: number[]; psiKernel: number[][]; psiBias: number; embedding: number[][]; expected: number[][];
}
/** t5: Algorithm 1, `steps` iterations of k D steps (fresh real batch and z each) and one G step (fresh z). */
export interface KStepCase extends Omit<LoopCase, 'expected'> { k: number; expected: { dAfter: number[]; gAfter: number[] } }

export interface CaseSet {
  ex1: PriorCase[]; ex2: DLossCase[]; ex3: GLossCase[]; ex4: DStepCase[]; ex5: GStepCase[]; ex6: MaxoutCase[];
  ex7: CountCase[]; ex8: DStarCase[]; ex9: CriterionCase[]; ex10: ParzenCase[]; q1: GradientCase[]; q2: InvariantCase[]; ex11: LoopCase[];
  t1: ConvShapeCase[]; t2: RingCase[]; t3: CondInputCase[]; t4: ProjectionCase[]; t5: KStepCase[];
}

export interface CaseFile {
  format: typeof CASES_FORMAT;
  visibility: 'public' | 'hidden';
  seed: number;
  /** The command that wrote the file (so nobody edits it by hand). */
  generatedBy: string;
  exercises: CaseSet;
}

/** homework/ at the top of the repository (this file is lib/src/homework or lib/dist/homework). */
export function homeworkDir(): string {
  return path.resolve(__dirname, '..', '..', '..', 'homework');
}

export function publicCasesFile(): string {
  return path.join(homeworkDir(), 'cases', 'public.json');
}

/**
 * The case files hw.check uses: the committed public ones. (The grader reads the teacher's hidden file itself,
 * in the parent process; no environment variable names it, so no student code can find it that way.)
 */
export function casesFiles(): string[] {
  return [publicCasesFile()];
}

/** What of a case enters the sandbox: its inputs (and label), never its expected values. */
export function caseInputs(c: Case & { expected?: unknown }): object {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { expected, hidden, ...inputs } = c;
  return inputs;
}

export function readCaseFile(file: string): CaseFile {
  let parsed: CaseFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CaseFile;
  } catch (e) {
    throw new Error(`homework: cannot read the reference cases ${file}: ${(e as Error).message}. Run \`npm run homework -- cases\` to make them.`, { cause: e });
  }
  if (parsed?.format !== CASES_FORMAT || typeof parsed.exercises !== 'object') {
    throw new Error(`homework: ${file} is not a ${CASES_FORMAT} file; regenerate it with \`npm run homework -- cases\`.`);
  }
  return parsed;
}

/** The cases of every file in `files` for one exercise, public ones first. */
export function loadCases<K extends keyof CaseSet>(id: K, files: string[] = casesFiles()): CaseSet[K] {
  const all = files.map(readCaseFile).sort((a, b) => (a.visibility === b.visibility ? 0 : a.visibility === 'public' ? -1 : 1));
  const out = all.flatMap((f) => ((f.exercises[id] ?? []) as Case[]).map((c) => (f.visibility === 'hidden' ? { ...c, hidden: true } : c))) as CaseSet[K];
  if (out.length === 0) throw new Error(`homework: no reference cases for ${id} in ${files.join(', ')}; regenerate them with \`npm run homework -- cases\`.`);
  return out;
}
