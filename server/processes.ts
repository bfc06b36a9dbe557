import { readdir, readFile } from 'node:fs/promises';
import type { Db } from '../engine/db/database.js';
import { deploy, type DeployResult } from '../engine/process-core.js';

const PROCESSES_DIR = new URL('../processes/', import.meta.url);

/** Deploys every diagram shipped in processes/; an unchanged file maps to its existing version. */
export async function deployBundledProcesses(db: Db): Promise<DeployResult[]> {
  const files = (await readdir(PROCESSES_DIR)).filter((f) => f.endsWith('.bpmn')).sort();
  const results: DeployResult[] = [];
  for (const file of files) results.push(await deploy(db, await readFile(new URL(file, PROCESSES_DIR), 'utf8'), 'system:boot'));
  return results;
}
