import type { HistoryEvent } from './types.js';

/** An element the dossier is in: entered and not yet left. */
export interface ActiveElement {
  elementId: string;
  /** The BPMN type the engine recorded (`bpmn:UserTask`, `bpmn:BoundaryEvent`…). */
  elementType: string | null;
}

/** The dossier as it stood right after one history event. */
export interface ReplayState {
  /** Where the dossier's tokens are, in the order they arrived. */
  active: ActiveElement[];
  /** Every element entered so far, undone work included: the history keeps it, and so does the replay. */
  visited: Set<string>;
  /** Sequence flows taken so far, with how often. */
  flows: Map<string, number>;
  /** The national status (1–10) after the event; null until one is set. */
  status: number | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The state after each event: `states[i]` is the dossier right after `events[i]` (in `seq` order). Tokens move
 * with `element.entered` / `element.left`, matched by execution id. An undo restores the engine state of the
 * version before the undone one without leaving elements, so the tokens go back to where that version had them.
 */
export function replay(events: HistoryEvent[]): ReplayState[] {
  let active = new Map<string, ActiveElement>();
  const visited = new Set<string>();
  const flows = new Map<string, number>();
  let status: number | null = null;
  // The tokens at the end of each version, for undo.
  const tokensAfterVersion = new Map<number, Map<string, ActiveElement>>();
  const states: ReplayState[] = [];

  for (const event of events) {
    const elementId = event.elementId;
    switch (event.type) {
      case 'element.entered':
        if (elementId) {
          active.set(text(event.data.executionId) ?? elementId, { elementId, elementType: text(event.data.elementType) });
          visited.add(elementId);
        }
        break;
      case 'element.left': {
        const executionId = text(event.data.executionId);
        const key = executionId && active.has(executionId) ? executionId : [...active].find(([, a]) => a.elementId === elementId)?.[0];
        if (key) active.delete(key);
        break;
      }
      case 'flow.taken':
        if (elementId) flows.set(elementId, (flows.get(elementId) ?? 0) + 1);
        break;
      case 'status.changed':
        status = typeof event.data.to === 'number' ? event.data.to : null;
        break;
      case 'command.undone': {
        const undone = event.data.undoneVersion;
        const restored = typeof undone === 'number' ? tokensAfterVersion.get(undone - 1) : undefined;
        if (restored) active = new Map(restored);
        break;
      }
    }
    tokensAfterVersion.set(event.version, new Map(active));
    states.push({ active: [...active.values()], visited: new Set(visited), flows: new Map(flows), status });
  }
  return states;
}

const BOUNDARY = 'bpmn:BoundaryEvent';
const elementsOf = (active: ActiveElement[]) => [...new Set(active.map((a) => a.elementId))];

/**
 * Where the dossier is: the elements that carry its token. An enclosing sub-process is shown by the task inside
 * it, and the boundary events armed on that task are listed apart (see armedEvents).
 */
export const tokenElements = (state: ReplayState): string[] =>
  elementsOf(state.active.filter((a) => a.elementType !== 'bpmn:SubProcess' && a.elementType !== BOUNDARY));

/** Boundary events armed where the dossier is, waiting to fire: a deadline timer, a withdrawal request. */
export const armedEvents = (state: ReplayState): string[] => elementsOf(state.active.filter((a) => a.elementType === BOUNDARY));
