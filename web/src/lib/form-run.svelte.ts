import type { FieldTarget } from './api/problem.js';
import { describeError } from './errors.js';
import { t } from './i18n/index.svelte.js';
import type { MessageKey } from './i18n/messages.js';

/** A small form's submission: busy while its work runs, the failure for the error summary, and errors by control. */
export class FormRun {
  busy = $state(false);
  failure: unknown = $state(null);

  constructor(readonly targetOf: (path: string) => FieldTarget | undefined) {}

  /** The failure's messages by control id, in the current language. */
  get fieldErrors(): Record<string, string> {
    return this.failure ? describeError(this.failure, this.targetOf).byField : {};
  }

  /** Runs `work`; what it throws is shown. */
  async run(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.failure = null;
    try {
      await work();
    } catch (err) {
      this.failure = err;
    } finally {
      this.busy = false;
    }
  }
}

/** The controls an API reports errors on: its path (`/body/username`) → the control's id and label. */
export const controlsAt =
  (controls: Record<string, [id: string, label: MessageKey]>) =>
  (path: string): FieldTarget | undefined => {
    const control = controls[path];
    return control && { id: control[0], label: t(control[1]) };
  };
