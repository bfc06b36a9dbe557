import { readFile } from 'node:fs/promises';
import { parseBpmn } from '../../engine/bpmn/moddle.js';
import { EngineSession, toSourceContext } from '../../engine/runtime/session.js';
const xml = await readFile(new URL('../../processes/standard-one-stop.bpmn', import.meta.url), 'utf8');
const { moddleContext } = await parseBpmn(xml);
const sc = toSourceContext(moddleContext);
const s = new EngineSession({ sourceContext: sc, deadPathFlows: new Set() }, { applicant: 'c' });
await s.start();
const go = (el: string, code: string, input = {}) => { s.beginCommand(); const w = s.waiting().find((x) => x.elementId === el)!; s.setVariables({ ...input, action: code }); const t = performance.now(); s.signal(el, w.executionId, {}); return performance.now() - t; };
go('receive', '1100'); go('transfer', '2000'); go('assign', '2101', { handler: 'h' });
const eng: any = (s as any).engine;
for (let i = 0; i < 150; i++) {
  const a = go('handle', '2600'); const b = go('leaderReview', '7400');
  const st = await s.state();
  if (i % 50 === 0) console.log(i, a.toFixed(2), b.toFixed(2), 'state', JSON.stringify(st.state).length, 'events', s.events.length);
}
