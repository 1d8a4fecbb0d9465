import type { LabContext } from './lab-context';

/**
 * One workshop lab (docs/workshop/<page>): it sets its fault up, drives a few orders and
 * checks what the page promises. `undo` runs whatever happened, so the system is left clean.
 */
export interface Lab {
  name: string;
  title: string;
  /** Its page under docs/workshop/. */
  page: string;
  /** Returns the outcome, a line per fact checked; throws LabCheckFailed when one is not so. */
  run(context: LabContext): Promise<string[]>;
  undo(context: LabContext): Promise<void>;
}

/** A promised outcome that did not happen: the lab fails with this as its reason. */
export class LabCheckFailed extends Error {}

export function expectThat(condition: boolean, failure: string): void {
  if (!condition) throw new LabCheckFailed(failure);
}
