import type { ProblemField } from '../api/problem.js';
import { bilingual, clientProblem } from '../errors.js';
import { api } from '../session.svelte.js';
import { dataFrom, fieldsOf, missingRequired, valuesFrom, type FieldSpec, type FormValues, type JsonSchema } from './schema.js';

/**
 * The state of an eForm being filled in on a dossier's draft page (the citizen's wizard, the counter): what is typed,
 * saving, and the error to show. Built once per page: what is typed stays while uploads and saves reload the dossier.
 */
export class EFormEditor<Step extends string> {
  readonly fields: FieldSpec[];
  values: FormValues = $state({});
  saving: Step | null = $state(null);
  saved = $state(false);
  failure: unknown = $state(null);

  constructor(schema: unknown, form: Record<string, unknown>) {
    this.fields = fieldsOf(schema as JsonSchema);
    this.values = valuesFrom(this.fields, form);
  }

  /** Required fields left empty, as the API would report them. */
  missingFields(): ProblemField[] {
    return missingRequired(this.fields, this.values).map((f) => ({ path: `/body/form${f.pointer}`, message: bilingual('eform.required') }));
  }

  /**
   * Saves what is typed to `url` (a draft may be incomplete) and reloads. The `draft` step stops there and says so;
   * any other step goes on to `next` once `missing` finds nothing to complete.
   */
  async save(step: Step, options: { url: string; reload: () => Promise<unknown>; draft: boolean; missing: () => ProblemField[]; next: () => Promise<unknown> }) {
    this.saving = step;
    this.failure = null;
    this.saved = false;
    try {
      await api.put(options.url, { data: dataFrom(this.fields, this.values) });
      await options.reload();
      if (options.draft) {
        this.saved = true;
        return;
      }
      const missing = options.missing();
      if (missing.length) this.failure = clientProblem(missing);
      else await options.next();
    } catch (err) {
      this.failure = err;
    } finally {
      this.saving = null;
    }
  }
}
