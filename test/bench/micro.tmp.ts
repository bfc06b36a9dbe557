import { readFile } from 'node:fs/promises';
import { parseBpmn } from '../../engine/bpmn/moddle.js';
import { EngineSession, toSourceContext } from '../../engine/runtime/session.js';
const xml = await readFile(new URL('../../processes/standard-one-stop.bpmn', import.meta.url), 'utf8');
const { moddleContext } = await parseBpmn(xml);
const sc = toSourceContext(moddleContext);
const path: [string, string, Record<string, unknown>][] = [['receive','1100',{}],['transfer','2000',{}],['assign','2101',{handler:'h'}],['handle','2600',{}],['leaderReview','3100',{}],['sign','3200',{}],['issue','3300',{}],['returnResult','4000',{}]];
const per = new Map<string, number>();
const N = 200;
const t00 = performance.now();
for (let i = 0; i < N; i++) {
  const s = new EngineSession({ sourceContext: sc, deadPathFlows: new Set() }, { applicant: 'c' });
  await s.start();
  for (const [el, code, input] of path) {
    s.beginCommand();
    const w = s.waiting().find((x) => x.elementId === el)!;
    s.setVariables({ ...input, action: code });
    const t = performance.now();
    s.signal(el, w.executionId, {});
    per.set(el, (per.get(el) ?? 0) + performance.now() - t);
    await s.state();
  }
}
console.log('total per dossier ms', ((performance.now() - t00) / N).toFixed(2));
for (const [k, v] of per) console.log(k, (v / N).toFixed(2));
