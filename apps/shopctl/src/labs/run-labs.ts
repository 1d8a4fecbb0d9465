import { Lab, LabCheckFailed } from './lab';
import { LabContext } from './lab-context';

export interface LabResult {
  lab: string;
  title: string;
  passed: boolean;
  seconds: number;
  outcome: string[];
  /** Why it failed: a promise not kept, or an error on the way. */
  failure?: string;
  /** The undo itself failed: the system may still have the fault. */
  undoFailure?: string;
}

/** Runs each lab, then its undo whatever happened. */
export async function runLabs(labs: Lab[], context: LabContext): Promise<LabResult[]> {
  const results: LabResult[] = [];
  for (const lab of labs) {
    context.step(`${lab.name}: ${lab.title}`);
    const started = Date.now();
    const result: LabResult = {
      lab: lab.name,
      title: lab.title,
      passed: false,
      seconds: 0,
      outcome: [],
    };
    try {
      result.outcome = await lab.run(context);
      result.passed = true;
    } catch (error) {
      result.failure =
        error instanceof LabCheckFailed ? error.message : `error: ${(error as Error).message}`;
    }
    try {
      await lab.undo(context);
    } catch (error) {
      result.passed = false;
      result.undoFailure = (error as Error).message;
    }
    result.seconds = Math.round((Date.now() - started) / 100) / 10;
    results.push(result);
  }
  return results;
}
