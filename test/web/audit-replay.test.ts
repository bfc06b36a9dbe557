import { describe, expect, test } from 'vitest';
import { actorLabel, eventElement, eventFacts, eventTypeLabel } from '../../web/src/lib/audit/events.js';
import { armedEvents, replay, tokenElements } from '../../web/src/lib/audit/replay.js';
import type { HistoryEvent } from '../../web/src/lib/api/types.js';

/** A history as the API records it: the start, receive (1100), hand over (2000), its undo, and the hand-over again. */
function history(): HistoryEvent[] {
  const events: Omit<HistoryEvent, 'seq' | 'at' | 'hash' | 'actorId' | 'actorName'>[] = [];
  const at = (version: number, type: string, elementId: string | null, data: Record<string, unknown> = {}) => events.push({ version, type, elementId, data });
  const enter = (version: number, id: string, execution: string, elementType = 'bpmn:UserTask') => at(version, 'element.entered', id, { elementType, executionId: execution });
  const leave = (version: number, id: string, execution: string) => at(version, 'element.left', id, { executionId: execution, outcome: 'completed' });
  at(1, 'instance.started', null, { definitionId: 'd1', key: 'standard-one-stop', version: 1 });
  enter(1, 'submitted', 'submitted_1', 'bpmn:StartEvent');
  leave(1, 'submitted', 'submitted_1');
  at(1, 'flow.taken', 'Flow_toProcessing', { sourceId: 'submitted', targetId: 'processing' });
  enter(1, 'processing', 'processing_1', 'bpmn:SubProcess');
  enter(1, 'withdrawRequested', 'withdraw_1', 'bpmn:BoundaryEvent');
  enter(1, 'receive', 'receive_1');
  at(1, 'status.changed', null, { from: null, to: 1 });
  at(2, 'task.completed', 'receive', { action: '1100', actionName: 'Tiếp nhận hồ sơ', note: 'Đủ thành phần' });
  leave(2, 'receive', 'receive_1');
  at(2, 'flow.taken', 'Flow_1100', { sourceId: 'receive', targetId: 'transfer' });
  enter(2, 'transfer', 'transfer_1');
  at(2, 'status.changed', null, { from: 1, to: 2 });
  at(3, 'task.completed', 'transfer', { action: '2000', actionName: 'Bàn giao' });
  leave(3, 'transfer', 'transfer_1');
  at(3, 'flow.taken', 'Flow_2000', { sourceId: 'transfer', targetId: 'assign' });
  enter(3, 'assign', 'assign_1');
  at(3, 'status.changed', null, { from: 2, to: 4 });
  // The undo records no element events: the engine state of version 2 comes back as version 4.
  at(4, 'command.undone', null, { undoneVersion: 3, reason: 'Bàn giao nhầm' });
  at(4, 'task.cancelled', 'assign', {});
  at(4, 'task.reopened', 'transfer', {});
  at(4, 'status.changed', null, { from: 4, to: 2 });
  // A claim moves nothing and keeps the version.
  at(4, 'task.claimed', 'transfer', { from: null, to: 'officer-1' });
  leave(5, 'transfer', 'transfer_1');
  at(5, 'flow.taken', 'Flow_2000', { sourceId: 'transfer', targetId: 'assign' });
  enter(5, 'assign', 'assign_2');
  return events.map((e, i) => ({ ...e, seq: i + 1, at: `2024-08-21T07:30:0${i % 10}Z`, hash: `h${i + 1}`, actorId: 'officer-1', actorName: 'Lê Văn Cán bộ' }));
}

const stepOf = (events: HistoryEvent[], predicate: (e: HistoryEvent) => boolean) => events.findIndex(predicate);

describe('the replay of a dossier’s history', () => {
  const events = history();
  const states = replay(events);

  test('one state per event; tokens move with entering and leaving, matched by execution', () => {
    expect(states).toHaveLength(events.length);
    expect(states[0]).toMatchObject({ active: [], status: null });
    const atReceive = states[stepOf(events, (e) => e.type === 'status.changed')]!;
    expect(atReceive.active.map((a) => a.elementId)).toEqual(['processing', 'withdrawRequested', 'receive']);
    expect(atReceive.status).toBe(1);
    // The sub-process carries no token of its own: the task inside shows where the dossier is; the boundary event is armed.
    expect(tokenElements(atReceive)).toEqual(['receive']);
    expect(armedEvents(atReceive)).toEqual(['withdrawRequested']);
    const afterReceive = states[stepOf(events, (e) => e.type === 'element.entered' && e.elementId === 'transfer')]!;
    expect(tokenElements(afterReceive)).toEqual(['transfer']);
    expect([...afterReceive.visited]).toEqual(['submitted', 'processing', 'withdrawRequested', 'receive', 'transfer']);
    expect(Object.fromEntries(afterReceive.flows)).toEqual({ Flow_toProcessing: 1, Flow_1100: 1 });
  });

  test('an undo puts the tokens back where the version before the undone one had them; visits and flows stay', () => {
    const undone = states[stepOf(events, (e) => e.type === 'command.undone')]!;
    expect(tokenElements(undone)).toEqual(['transfer']);
    expect(undone.visited.has('assign')).toBe(true);
    expect(undone.flows.get('Flow_2000')).toBe(1);
    expect(states[stepOf(events, (e) => e.type === 'task.claimed')]!.status).toBe(2);
    const last = states.at(-1)!;
    expect(tokenElements(last)).toEqual(['assign']);
    expect(armedEvents(last)).toEqual(['withdrawRequested']);
    expect(last.flows.get('Flow_2000')).toBe(2);
    expect(last.status).toBe(2);
  });

  test('an element left without its execution id is matched by element; an unknown undo changes nothing', () => {
    const [started, entered, left, undo] = [
      { seq: 1, version: 1, type: 'instance.started', elementId: null, data: {} },
      { seq: 2, version: 1, type: 'element.entered', elementId: 'end', data: {} },
      { seq: 3, version: 2, type: 'element.left', elementId: 'end', data: {} },
      { seq: 4, version: 3, type: 'command.undone', elementId: null, data: { undoneVersion: 9 } },
    ].map((e) => ({ ...e, actorId: null, actorName: null, at: '2024-08-21T07:30:00Z', hash: 'x' }));
    const result = replay([started!, entered!, left!, undo!]);
    expect(result.map((s) => s.active.length)).toEqual([0, 1, 0, 0]);
  });
});

describe('events in words', () => {
  const events = history();
  const names: Record<string, string> = { receive: 'Tiếp nhận hồ sơ', transfer: 'Bàn giao thụ lý' };
  const nameOf = (id: string) => names[id] ?? id;
  const find = (type: string) => events.find((e) => e.type === type)!;

  test('types, elements and flows are named; unknown types still show', () => {
    expect(eventTypeLabel('task.completed', 'vi')).toBe('Hoàn thành công việc');
    expect(eventTypeLabel('command.undone', 'en')).toBe('Action undone');
    expect(eventTypeLabel('instance.migrated', 'vi')).toBe('Sự kiện instance.migrated');
    expect(eventElement(events.find((e) => e.elementId === 'Flow_1100')!, 'vi', nameOf)).toBe('“Tiếp nhận hồ sơ” → “Bàn giao thụ lý”');
    expect(eventElement(find('task.completed'), 'en', nameOf)).toBe('Tiếp nhận hồ sơ');
    expect(eventElement(find('status.changed'), 'vi', nameOf)).toBeNull();
  });

  test('facts: the action and note, the status change, the undo’s reason, the hand-over', () => {
    expect(eventFacts(find('task.completed'), 'vi')).toEqual([
      { term: 'Thao tác', value: 'Tiếp nhận hồ sơ (1100)' },
      { term: 'Ghi chú', value: 'Đủ thành phần' },
    ]);
    expect(eventFacts(events.filter((e) => e.type === 'status.changed')[1]!, 'vi')).toEqual([{ term: 'Trạng thái', value: 'Mới đăng ký → Được tiếp nhận' }]);
    expect(eventFacts(find('command.undone'), 'en')).toEqual([
      { term: 'Undid version', value: '3' },
      { term: 'Reason', value: 'Bàn giao nhầm' },
    ]);
    expect(eventFacts(find('task.claimed'), 'vi')).toEqual([{ term: 'Chuyển từ → đến', value: 'nhóm xử lý chung → officer-1' }]);
    expect(eventFacts({ ...events[0]!, type: 'timer.scheduled', elementId: 'handlingSla', data: { dueAt: '2024-08-24T07:30:00Z' } }, 'vi')).toEqual([
      { term: 'Hạn', value: '24/08/2024 14:30' },
    ]);
  });

  test('actors: the engine as the system, the reader by name, others by id', () => {
    expect(actorLabel({ actorId: 'system:scheduler', actorName: null }, 'vi')).toBe('Hệ thống (tự động)');
    expect(actorLabel({ actorId: 'u-1', actorName: 'Nguyễn Văn An' }, 'en', { id: 'u-1' })).toBe('Nguyễn Văn An (you)');
    expect(actorLabel({ actorId: 'u-2', actorName: 'Trần Thị Bình' }, 'vi', { id: 'u-1' })).toBe('Trần Thị Bình');
    expect(actorLabel({ actorId: 'u-3', actorName: null }, 'vi', { id: 'u-1' })).toBe('u-3');
  });
});
