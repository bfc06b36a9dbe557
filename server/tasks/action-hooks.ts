import type { Db } from '../../engine/db/database.js';
import type { Actor, CommandOutcome } from '../../engine/process-core.js';

/** An officer's action as a hook sees it, inside the action's transaction, after the process moved. */
export interface TakenAction {
  trx: Db;
  actionCode: string;
  dossierId: string;
  agencyId: string;
  actor: Actor;
  input: Record<string, unknown>;
  note: string | null;
  outcome: CommandOutcome;
  at: Date;
}

export type ActionHook = (action: TakenAction) => Promise<void>;

const hooks = new Map<string, Set<ActionHook>>();

/**
 * Registers work that commits with every officer action of a code (the fee request creates the payment), or
 * refuses it by throwing: the action and the hook's writes commit together or not at all. Idempotent.
 */
export function onAction(actionCode: string, hook: ActionHook): void {
  hooks.set(actionCode, (hooks.get(actionCode) ?? new Set()).add(hook));
}

/** The hooks of `actionCode` as one `alongside` for the process core's act, or undefined when there are none. */
export function actionHooksFor(actionCode: string, action: Omit<TakenAction, 'trx' | 'outcome' | 'actionCode'>) {
  const registered = hooks.get(actionCode);
  if (!registered?.size) return undefined;
  return async (trx: Db, outcome: CommandOutcome) => {
    for (const hook of registered) await hook({ ...action, trx, outcome, actionCode });
  };
}
