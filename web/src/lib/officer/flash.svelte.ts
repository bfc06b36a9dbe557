import type { TaskAction } from './types.js';

/**
 * The officer's last action, carried from the task page to the inbox it returns to: the inbox confirms it and
 * offers to undo it (the API allows the author's own last action while the next step is untouched).
 */
export interface LastAction {
  dossierId: string;
  dossierCode: string;
  /** Named when shown, in the language of the moment. */
  action: TaskAction;
  /** Set once the action was taken back. */
  undone?: boolean;
}

let last = $state<LastAction | null>(null);

export const lastAction = {
  get current(): LastAction | null {
    return last;
  },
  set(action: LastAction | null) {
    last = action;
  },
};
