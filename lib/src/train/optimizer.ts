/**
 * The optimiser interface used by discriminatorStep, generatorStep and trainGan. tfjs' own optimisers
 * keep their state where a checkpoint cannot read it synchronously and name slots after global
 * variable names; these keep each slot (velocity, Adam moments) as one tf.Variable per model variable,
 * created once on first use, readable and restorable exactly.
 */
import * as tf from '@tensorflow/tfjs';

export type GradientMap = { [variableName: string]: tf.Tensor | null | undefined };

/** A slot tensor as plain numbers: what a checkpoint stores. */
export interface SlotValue {
  shape: number[];
  values: Float32Array;
}

export interface OptimizerState {
  /** 'sgdMomentum' or 'adam'. */
  kind: string;
  /** Hyperparameters the optimiser was built with (restored too, so a resumed run is identical). */
  config: { [key: string]: unknown };
  /** Counters: minibatches seen, current epoch, Adam's t. */
  counters: { [key: string]: number };
  /** slots[slotName][variableName], e.g. slots.velocity['dense_Dense1/kernel']. */
  slots: { [slotName: string]: { [variableName: string]: SlotValue } };
}

export interface GanOptimizer {
  readonly name: string;
  /** Names of the per-variable slots this optimiser keeps (['velocity'] or ['m', 'v']). */
  readonly slotNames: readonly string[];
  /** Learning rate the next update will use. */
  readonly learningRate: number;
  /** Updates each variable in `variables` from grads[variable.name]; a missing gradient is an error. */
  applyGradients(grads: GradientMap, variables: tf.Variable[]): void;
  /** Schedule hook: call after every minibatch update (the paper's learning-rate decay). */
  onMinibatchEnd(): void;
  /** Schedule hook: the 1-based epoch the next updates belong to (the paper's momentum ramp). */
  setEpoch(epoch: number): void;
  /** A copy of the full state (config, counters, slot values). */
  getState(): Promise<OptimizerState>;
  /** Problems that would stop setState(state), as sentences; empty when it is fine. */
  checkState(state: OptimizerState): string[];
  /** Restores a state from getState() (throws without changing anything if checkState finds problems). */
  setState(state: OptimizerState): void;
  /** Frees the slot variables. */
  dispose(): void;
}

/** Slot bookkeeping shared by the optimisers: one tf.Variable per (slot, model variable), made once. */
export abstract class SlotOptimizer implements GanOptimizer {
  abstract readonly name: string;
  abstract readonly slotNames: readonly string[];
  abstract readonly learningRate: number;
  abstract onMinibatchEnd(): void;
  abstract setEpoch(epoch: number): void;
  protected abstract configState(): { [key: string]: unknown };
  protected abstract counterState(): { [key: string]: number };
  protected abstract checkConfigAndCounters(state: OptimizerState): string[];
  protected abstract restoreConfigAndCounters(state: OptimizerState): void;
  /** The update of one variable; runs inside a tidy, `slots` in slotNames order. */
  protected abstract update(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[]): void;
  /** Called once per applyGradients before the per-variable updates (Adam counts t here). */
  protected beforeUpdate(): void {}

  private slots = new Map<string, tf.Variable[]>();
  private disposed = false;

  applyGradients(grads: GradientMap, variables: tf.Variable[]): void {
    if (this.disposed) throw new Error(`${this.name}: this optimiser was disposed; create a new one`);
    if (!Array.isArray(variables) || variables.length === 0) {
      throw new Error(
        `${this.name}.applyGradients: pass the list of variables to update (e.g. trainableVariables(model))`,
      );
    }
    for (const v of variables) {
      const g = grads[v.name];
      if (g == null) {
        throw new Error(
          `${this.name}.applyGradients: no gradient for variable "${v.name}". Gradients are keyed by variable ` +
            'name, as tf.variableGrads returns them; compute them for exactly these variables.',
        );
      }
      if (!tf.util.arraysEqual(g.shape, v.shape)) {
        throw new Error(
          `${this.name}.applyGradients: gradient for "${v.name}" has shape [${g.shape}], variable has [${v.shape}]`,
        );
      }
    }
    this.beforeUpdate();
    tf.tidy(() => {
      for (const v of variables) this.update(v, grads[v.name] as tf.Tensor, this.slotsFor(v));
    });
  }

  private slotsFor(v: tf.Variable): tf.Variable[] {
    let s = this.slots.get(v.name);
    if (!s) {
      s = this.slotNames.map(() => tf.tidy(() => tf.variable(tf.zeros(v.shape, 'float32'), false)));
      this.slots.set(v.name, s);
    } else if (!tf.util.arraysEqual(s[0].shape, v.shape)) {
      throw new Error(
        `${this.name}: variable "${v.name}" has shape [${v.shape}] but this optimiser's state for it has ` +
          `[${s[0].shape}]; use one optimiser per model`,
      );
    }
    return s;
  }

  async getState(): Promise<OptimizerState> {
    const slots: OptimizerState['slots'] = {};
    for (const slotName of this.slotNames) slots[slotName] = {};
    for (const [varName, vars] of this.slots) {
      for (let i = 0; i < vars.length; i++) {
        // a copy: the cpu backend hands out its own backing array
        const values = Float32Array.from((await vars[i].data()) as Float32Array);
        slots[this.slotNames[i]][varName] = { shape: [...vars[i].shape], values };
      }
    }
    return { kind: this.name, config: this.configState(), counters: this.counterState(), slots };
  }

  checkState(state: OptimizerState): string[] {
    if (state == null || typeof state !== 'object') return ['the state is not an object'];
    if (state.kind !== this.name) return [`the state is of a "${state.kind}" optimiser, this one is "${this.name}"`];
    const problems = this.checkConfigAndCounters(state);
    const slots = state.slots ?? {};
    for (const slotName of this.slotNames) {
      if (slots[slotName] == null || typeof slots[slotName] !== 'object')
        problems.push(`slot "${slotName}" is missing`);
    }
    for (const slotName of Object.keys(slots)) {
      if (!this.slotNames.includes(slotName)) problems.push(`unknown slot "${slotName}"`);
    }
    if (problems.length > 0) return problems;
    const names = Object.keys(slots[this.slotNames[0]]);
    for (const slotName of this.slotNames) {
      const these = Object.keys(slots[slotName]);
      if (these.length !== names.length || these.some((n) => !names.includes(n))) {
        problems.push(`slots ${this.slotNames.join(', ')} cover different variables`);
      }
      for (const [varName, sv] of Object.entries(slots[slotName])) {
        const size = Array.isArray(sv?.shape) ? sv.shape.reduce((a, b) => a * b, 1) : NaN;
        if (!(sv?.values instanceof Float32Array) || sv.values.length !== size) {
          problems.push(`slot "${slotName}" of "${varName}": values do not fill shape [${sv?.shape}]`);
        }
      }
    }
    return problems;
  }

  setState(state: OptimizerState): void {
    const problems = this.checkState(state);
    if (problems.length > 0) throw new Error(`${this.name}.setState: ${problems.join('; ')}`);
    this.restoreConfigAndCounters(state);
    const fresh = new Map<string, tf.Variable[]>();
    for (const varName of Object.keys(state.slots[this.slotNames[0]])) {
      fresh.set(
        varName,
        this.slotNames.map((slotName) => {
          const { shape, values } = state.slots[slotName][varName];
          return tf.tidy(() => tf.variable(tf.tensor(values.slice(), shape, 'float32'), false));
        }),
      );
    }
    this.disposeSlots();
    this.slots = fresh;
  }

  dispose(): void {
    this.disposeSlots();
    this.disposed = true;
  }

  private disposeSlots(): void {
    for (const vars of this.slots.values()) for (const v of vars) v.dispose();
    this.slots.clear();
  }
}

export function checkPositive(where: string, name: string, v: unknown, hint = ''): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${where}: ${name} must be a positive finite number, got ${String(v)}${hint ? ` (${hint})` : ''}`);
  }
  return v;
}
