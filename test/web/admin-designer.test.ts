import { readFile } from 'node:fs/promises';
import { Linter } from 'bpmnlint';
import { describe, expect, test } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/moddle.js';
import { blankDiagram } from '../../web/src/lib/admin/designer/blank.js';
import { diagramChanges } from '../../web/src/lib/admin/designer/diff.js';
import { actionUpdate, deadlineProblem, feelProblem, groupOptions, groupsAttribute, groupsOf, statusOptions, statusValue, textAttribute } from '../../web/src/lib/admin/designer/dvc-values.js';
import { designerLintConfig, localizeReports } from '../../web/src/lib/admin/designer/lint.js';
import { translateIn } from '../../web/src/lib/admin/designer/translate.js';

const lint = async (xml: string) => new Linter(designerLintConfig).lint((await parseBpmn(xml)).definitions);

/** A user task between a start and an end event, with the attributes given. */
function diagram({ task = '', flow = '' } = {}) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:dvc="urn:vn-dvc:bpmn:1.0" id="D" targetNamespace="urn:test">
  <bpmn:process id="p" name="Thử" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="receive" />
    <bpmn:userTask id="receive" name="Tiếp nhận hồ sơ" ${task} />
    <bpmn:sequenceFlow id="f2" sourceRef="receive" targetRef="end" ${flow} />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="receive_di" bpmnElement="receive"><dc:Bounds x="200" y="80" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

describe('the designer’s "Một cửa (DVC)" values', () => {
  test('candidate groups: the attribute as a list and back, in the catalogue’s order, unknown ones kept last', () => {
    expect(groupsOf('handler, dept-leader')).toEqual(['handler', 'dept-leader']);
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsAttribute(['handler', 'one-stop-officer', 'handler'])).toBe('one-stop-officer,handler');
    expect(groupsAttribute(['typo', 'clerk'])).toBe('clerk,typo');
    expect(groupsAttribute([])).toBeUndefined();
    expect(groupOptions('vi').map((o) => o.label)).toContain('Cán bộ một cửa');
    expect(groupOptions('en').find((o) => o.value === 'handler')?.label).toBe('Handling officer');
  });

  test('an action code fills its catalogue name, unless the admin wrote one of their own', () => {
    expect(actionUpdate('1100', {})).toEqual({ actionCode: '1100', actionName: 'Tiếp nhận hồ sơ' });
    // The default name follows a changed code…
    expect(actionUpdate('4200', { actionCode: '1100', actionName: 'Tiếp nhận hồ sơ' })).toEqual({ actionCode: '4200', actionName: 'Từ chối tiếp nhận' });
    // …an own name stays.
    expect(actionUpdate('4200', { actionCode: '1100', actionName: 'Nhận hồ sơ giấy' })).toEqual({ actionCode: '4200', actionName: 'Nhận hồ sơ giấy' });
    expect(actionUpdate('', { actionCode: '1100', actionName: 'Tiếp nhận hồ sơ' })).toEqual({ actionCode: undefined, actionName: undefined });
  });

  test('statuses, deadlines, FEEL and free text as attributes', () => {
    expect(statusOptions('vi')).toHaveLength(10);
    expect(statusOptions('en')[3]).toEqual({ value: '4', label: '4 — In progress' });
    expect(statusValue('4')).toBe(4);
    expect(statusValue('')).toBeUndefined();
    expect([deadlineProblem('4h'), deadlineProblem('1.5d'), deadlineProblem(''), deadlineProblem('4 giờ')]).toEqual([null, null, null, 'deadline']);
    expect([feelProblem('=assignee'), feelProblem(undefined), feelProblem('assignee')]).toEqual([null, null, 'feel']);
    expect([textAttribute('  '), textAttribute('TIEP_NHAN'), textAttribute(undefined)]).toEqual([undefined, 'TIEP_NHAN', undefined]);
  });
});

describe('the designer’s lint is the deploy-time lint, in the UI language', () => {
  test('a user task without groups nor actions: both problems, in Vietnamese or English', async () => {
    const results = await lint(diagram());
    expect(Object.keys(results).sort()).toEqual(['dvc/action-flows', 'dvc/user-task-groups']);
    expect(localizeReports(results, 'vi')['dvc/user-task-groups']![0]).toMatchObject({ id: 'receive', message: 'Bước "Tiếp nhận hồ sơ" chưa có nhóm xử lý (candidateGroups)' });
    expect(localizeReports(results, 'en')['dvc/user-task-groups']![0]!.message).toBe('User task "Tiếp nhận hồ sơ" has no candidateGroups');
    expect(await lint(diagram({ task: 'dvc:candidateGroups="one-stop-officer"', flow: 'dvc:actionCode="1100" dvc:actionName="Tiếp nhận hồ sơ"' }))).toEqual({});
  });

  test('bpmnlint’s own rules get a Vietnamese summary, their English as is', async () => {
    const results = await lint(blankDiagram('Quy trình mới', 'Hồ sơ được nộp', 'abc123'));
    expect(localizeReports(results, 'vi')['end-event-required']![0]!.message).toBe('Quy trình thiếu sự kiện kết thúc');
    expect(localizeReports(results, 'en')['end-event-required']![0]!.message).toBe('Process is missing end event');
    expect(Object.keys(results).sort()).toEqual(['end-event-required', 'no-disconnected']);
  });

  test('a new diagram is executable, with a process key of its own', async () => {
    const { definitions } = await parseBpmn(blankDiagram('Quy trình "mới" & <thử>', 'Nộp', 'abc123'));
    const process = definitions.rootElements[0];
    expect([process.id, process.name, process.isExecutable]).toEqual(['process-abc123', 'Quy trình "mới" & <thử>', true]);
    expect(blankDiagram('a', 'b')).not.toBe(blankDiagram('a', 'b'));
  });
});

describe('bpmn-js in Vietnamese', () => {
  test('known strings translated with their placeholders, others left as they are', () => {
    let lang: 'vi' | 'en' = 'vi';
    const translate = translateIn(() => lang);
    expect(translate('Append task')).toBe('Nối tiếp bước');
    expect(translate('{errors} Errors, {warnings} Warnings', { errors: '2', warnings: '0' })).toBe('2 lỗi, 0 cảnh báo');
    expect(translate('Something new in bpmn-js')).toBe('Something new in bpmn-js');
    lang = 'en';
    expect(translate('Append task')).toBe('Append task');
  });
});

describe('the version diff', () => {
  test('added, removed and changed elements, with the changed attributes’ values', async () => {
    const before = diagram({ task: 'dvc:candidateGroups="one-stop-officer" dvc:deadline="4h" dvc:stepCode="TN"', flow: 'dvc:actionCode="1100" dvc:actionName="Tiếp nhận hồ sơ"' });
    const after = before
      .replace('dvc:deadline="4h" dvc:stepCode="TN"', 'dvc:deadline="1d" dvc:dossierStatus="2"')
      .replace('<bpmn:endEvent id="end" />', '<bpmn:endEvent id="done" name="Hoàn thành" />')
      .replace('targetRef="end"', 'targetRef="done"')
      .replace('bpmnElement="end"', 'bpmnElement="done"');
    const changes = await diagramChanges(before, after);
    expect(changes.find((c) => c.id === 'done')).toMatchObject({ kind: 'added', type: 'EndEvent', name: 'Hoàn thành' });
    expect(changes.find((c) => c.id === 'end')).toMatchObject({ kind: 'removed', type: 'EndEvent' });
    expect(changes.find((c) => c.id === 'receive')).toMatchObject({ kind: 'changed', name: 'Tiếp nhận hồ sơ' });
    // Changed, added and removed values, each the right way round.
    expect(changes.find((c) => c.id === 'receive')!.attributes).toEqual(
      expect.arrayContaining([
        { name: 'deadline', from: '4h', to: '1d' },
        { name: 'dossierStatus', to: '2' },
        { name: 'stepCode', from: 'TN' },
      ]),
    );
    expect(changes.map((c) => c.kind)).toEqual([...changes.map((c) => c.kind)].sort((a, b) => ['added', 'removed', 'changed', 'layout'].indexOf(a) - ['added', 'removed', 'changed', 'layout'].indexOf(b)));
  });

  test('the same diagram has no changes; the bundled process compares with itself', async () => {
    const xml = await readFile(new URL('../../processes/standard-one-stop.bpmn', import.meta.url), 'utf8');
    expect(await diagramChanges(xml, xml)).toEqual([]);
  });
});
