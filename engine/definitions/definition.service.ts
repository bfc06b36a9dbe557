import type { SerializableContext } from 'moddle-context-serializer';
import type { Db } from '../db/database.js';
import { parseBpmn } from '../bpmn/moddle.js';
import { buildModel, sha256, type ProcessModel } from '../bpmn/model.js';
import { lintDefinitions } from '../lint/linter.js';
import { toSourceContext } from '../runtime/session.js';
import { Invalid, NotFound, type Problem } from '../errors.js';
import { isUniqueViolation } from '../db/errors.js';
import * as repo from './definition.repository.js';
import { assertUuid } from '../json.js';

export interface DefinitionSummary {
  id: string;
  key: string;
  version: number;
  name: string | null;
  procedureCode: string | null;
  sha256: string;
  deployedBy: string;
  deployedAt: Date;
}

export interface DeployResult extends DefinitionSummary {
  /** False when the same XML was already deployed under this key: the existing version is returned. */
  created: boolean;
}

/** A deployed version ready to run: its model and its diagram serialised once for every engine session. */
export interface CompiledDefinition {
  id: string;
  key: string;
  version: number;
  model: ProcessModel;
  sourceContext: SerializableContext;
  deadPathFlows: ReadonlySet<string>;
}

/** Validates a diagram and stores it as the next immutable version of its process key. */
export async function deploy(db: Db, xml: string, deployedBy: string): Promise<DeployResult> {
  const { definitions, warnings } = await parseOrRefuse(xml);
  const problems: Problem[] = warnings.map((w) => ({
    path: null,
    rule: 'bpmn-import',
    message: { vi: `Không đọc được sơ đồ: ${w}`, en: `Diagram import: ${w}` },
  }));
  for (const p of await lintDefinitions(definitions)) problems.push({ path: p.elementId, rule: p.rule, message: p.message });
  if (problems.length) {
    throw new Invalid(
      `Sơ đồ quy trình có ${problems.length} lỗi, chưa được triển khai`,
      `The process diagram has ${problems.length} problem(s) and was not deployed`,
      problems,
    );
  }
  const model = buildModel(definitions);
  const hash = sha256(xml);
  // Two admins deploying at once race for the same version number; the unique key decides, the loser retries.
  for (let attempt = 0; ; attempt++) {
    const existing = await repo.findDefinitionBySha(db, model.processId, hash);
    if (existing) return { ...toSummary(existing), created: false };
    const version = (await repo.latestVersionNumber(db, model.processId)) + 1;
    try {
      const row = await repo.insertDefinition(db, {
        key: model.processId,
        version,
        name: model.name,
        procedure_code: model.procedureCode,
        sha256: hash,
        xml,
        model,
        deployed_by: deployedBy,
      });
      return { ...toSummary(row), created: true };
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}

async function parseOrRefuse(xml: string) {
  try {
    return await parseBpmn(xml);
  } catch (err) {
    throw new Invalid('Tệp không phải sơ đồ BPMN 2.0 hợp lệ', 'The file is not valid BPMN 2.0 XML', [
      { path: null, rule: 'bpmn-xml', message: { vi: `XML không hợp lệ: ${(err as Error).message}`, en: `Invalid XML: ${(err as Error).message}` } },
    ]);
  }
}

export async function listDefinitions(db: Db, key?: string): Promise<DefinitionSummary[]> {
  return (await repo.listDefinitions(db, key)).map(toSummary);
}

/** A version with its BPMN source, for the designer, the version diff and the auditor's replay. */
export async function definitionSource(db: Db, id: string): Promise<DefinitionSummary & { xml: string }> {
  assertUuid(id, { vi: 'phiên bản quy trình', en: 'Process definition' });
  const row = await repo.findDefinition(db, id);
  if (!row) throw new NotFound('Không tìm thấy phiên bản quy trình', `No process definition ${id}`);
  return { ...toSummary(row), xml: row.xml };
}

export async function latestDefinition(db: Db, key: string): Promise<DefinitionSummary> {
  const row = await repo.findLatestDefinition(db, key);
  if (!row) throw new NotFound(`Chưa triển khai quy trình "${key}"`, `No process "${key}" is deployed`);
  return toSummary(row);
}

// Versions are immutable, so a compiled one is valid for the life of the process; the map grows only with
// the number of deployed versions, not with instances. Only finished compilations are shared: a pending one
// runs on its caller's connection, and on PGlite's single connection a transaction waiting for another
// caller's query would wait forever.
const compiled = new Map<string, CompiledDefinition>();

export async function compiledDefinition(db: Db, id: string): Promise<CompiledDefinition> {
  const hit = compiled.get(id);
  if (hit) return hit;
  const definition = await compile(db, id);
  compiled.set(id, definition);
  return definition;
}

async function compile(db: Db, id: string): Promise<CompiledDefinition> {
  const row = await repo.findDefinition(db, id);
  if (!row) throw new NotFound('Không tìm thấy phiên bản quy trình', `Process definition ${id} not found`);
  const { moddleContext } = await parseBpmn(row.xml);
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    model: row.model,
    sourceContext: toSourceContext(moddleContext),
    deadPathFlows: new Set(row.model.deadPathFlows),
  };
}

function toSummary(row: {
  id: string;
  key: string;
  version: number;
  name: string | null;
  procedure_code: string | null;
  sha256: string;
  deployed_by: string;
  deployed_at: Date;
}): DefinitionSummary {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    procedureCode: row.procedure_code,
    sha256: row.sha256,
    deployedBy: row.deployed_by,
    deployedAt: row.deployed_at,
  };
}
