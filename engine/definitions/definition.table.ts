import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ProcessModel } from '../bpmn/model.js';

export interface DefinitionTable {
  id: Generated<string>;
  key: string;
  version: number;
  name: string | null;
  procedure_code: string | null;
  sha256: string;
  xml: string;
  model: ColumnType<ProcessModel, string, never>;
  deployed_by: string;
  deployed_at: ColumnType<Date, never, never>;
}
export type DefinitionRow = Selectable<DefinitionTable>;
