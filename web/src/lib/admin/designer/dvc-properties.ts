import { CheckboxGroup, isSelectEntryEdited, isTextFieldEntryEdited, SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';
import { i18n, t } from '$lib/i18n/index.svelte.js';
import type { MessageKey } from '$lib/i18n/messages.js';
import {
  actionOptions,
  actionUpdate,
  deadlineProblem,
  feelProblem,
  groupOptions,
  groupsAttribute,
  groupsOf,
  statusOptions,
  statusValue,
  textAttribute,
} from './dvc-values.js';

/**
 * The properties panel's "Một cửa (DVC)" group: the project's `dvc:` attributes (schemas/dvc.moddle.json) with
 * pick lists from the shared catalogues, next to the standard BPMN groups.
 */

interface Element {
  businessObject: { get(name: string): any; sourceRef?: unknown; conditionExpression?: { body?: string } };
}
interface EntryProps {
  element: Element;
  id: string;
}
type Modeling = { updateProperties(element: Element, properties: Record<string, unknown>): void };

const attribute = (element: Element, name: string) => element.businessObject.get(`dvc:${name}`) as string | undefined;

const INVALID = { deadline: 'admin.designer.invalid.deadline', feel: 'admin.designer.invalid.feel' } as const satisfies Record<string, MessageKey>;

/** A free-text `dvc:` attribute; `check` names what is wrong with a value, shown under the field as typed. */
function textEntry(name: string, label: MessageKey, hint?: MessageKey, check?: (value: string | undefined) => keyof typeof INVALID | null) {
  return function DvcText({ element, id }: EntryProps) {
    const modeling = useService<Modeling>('modeling');
    return TextFieldEntry({
      element,
      id,
      label: t(label),
      description: hint && t(hint),
      debounce: useService('debounceInput'),
      getValue: () => attribute(element, name),
      setValue: (value) => modeling.updateProperties(element, { [`dvc:${name}`]: textAttribute(value) }),
      validate: check && ((value) => {
        const problem = check(value);
        return problem && t(INVALID[problem]);
      }),
    });
  };
}

function CandidateGroups({ element, id }: EntryProps) {
  const modeling = useService<Modeling>('modeling');
  return CheckboxGroup({
    element,
    id,
    label: t('admin.designer.candidateGroups'),
    options: groupOptions(i18n.lang),
    getValue: () => groupsOf(attribute(element, 'candidateGroups')),
    setValue: (groups) => modeling.updateProperties(element, { 'dvc:candidateGroups': groupsAttribute(groups) }),
  });
}

const none = () => ({ value: '', label: t('admin.designer.none') });

function DossierStatus({ element, id }: EntryProps) {
  const modeling = useService<Modeling>('modeling');
  return SelectEntry({
    element,
    id,
    label: t('admin.designer.dossierStatus'),
    description: t('admin.designer.dossierStatusHint'),
    getOptions: () => [none(), ...statusOptions(i18n.lang)],
    getValue: () => String(element.businessObject.get('dvc:dossierStatus') ?? ''),
    setValue: (value) => modeling.updateProperties(element, { 'dvc:dossierStatus': statusValue(value) }),
  });
}

function ActionCode({ element, id }: EntryProps) {
  const modeling = useService<Modeling>('modeling');
  return SelectEntry({
    element,
    id,
    label: t('admin.designer.actionCode'),
    description: t('admin.designer.actionCodeHint'),
    getOptions: () => [none(), ...actionOptions(i18n.lang)],
    getValue: () => attribute(element, 'actionCode') ?? '',
    setValue: (code) => {
      const next = actionUpdate(code, { actionCode: attribute(element, 'actionCode'), actionName: attribute(element, 'actionName') });
      modeling.updateProperties(element, { 'dvc:actionCode': next.actionCode, 'dvc:actionName': next.actionName });
    },
  });
}

/** A branch leaving a gateway is chosen by a FEEL condition (the standard panel has no field for it). */
function Condition({ element, id }: EntryProps) {
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<{ create(type: string, attrs: object): unknown }>('bpmnFactory');
  return TextFieldEntry({
    element,
    id,
    label: t('admin.designer.condition'),
    description: t('admin.designer.conditionHint'),
    debounce: useService('debounceInput'),
    getValue: () => element.businessObject.conditionExpression?.body,
    setValue: (value) => {
      const body = textAttribute(value);
      modeling.updateProperties(element, { conditionExpression: body ? bpmnFactory.create('bpmn:FormalExpression', { body }) : undefined });
    },
    validate: (value) => (feelProblem(value) ? t(INVALID.feel) : null),
  });
}

const StepCode = textEntry('stepCode', 'admin.designer.stepCode');
const Deadline = textEntry('deadline', 'admin.designer.deadline', 'admin.designer.deadlineHint', deadlineProblem);
const FormKey = textEntry('formKey', 'admin.designer.formKey', 'admin.designer.formKeyHint');
const Assignee = textEntry('assignee', 'admin.designer.assignee', 'admin.designer.assigneeHint', feelProblem);
const ActionName = textEntry('actionName', 'admin.designer.actionName', 'admin.designer.actionNameHint');
const ProcedureCode = textEntry('procedureCode', 'admin.designer.procedureCode', 'admin.designer.procedureCodeHint');

type Entry = { id: string; component: (props: EntryProps) => unknown; isEdited?: (node: HTMLElement | null) => boolean };

function entriesOf(element: Element): Entry[] {
  const text = (id: string, component: Entry['component']): Entry => ({ id, component, isEdited: isTextFieldEntryEdited });
  const entries: Entry[] = [];
  if (is(element, 'bpmn:Process')) entries.push(text('dvc-procedureCode', ProcedureCode));
  if (is(element, 'bpmn:UserTask')) {
    entries.push(
      { id: 'dvc-candidateGroups', component: CandidateGroups },
      text('dvc-stepCode', StepCode),
      text('dvc-deadline', Deadline),
      text('dvc-formKey', FormKey),
      text('dvc-assignee', Assignee),
    );
  }
  if (is(element, 'bpmn:FlowNode')) entries.push({ id: 'dvc-dossierStatus', component: DossierStatus, isEdited: isSelectEntryEdited });
  if (is(element, 'bpmn:SequenceFlow')) {
    entries.push({ id: 'dvc-actionCode', component: ActionCode, isEdited: isSelectEntryEdited }, text('dvc-actionName', ActionName));
    if (is(element.businessObject.sourceRef, 'bpmn:Gateway')) entries.push(text('dvc-condition', Condition));
  }
  return entries;
}

interface Group {
  id: string;
}

/** Registered after the standard provider: its group comes right after "General", open. */
function DvcPropertiesProvider(propertiesPanel: { registerProvider(priority: number, provider: object): void }) {
  propertiesPanel.registerProvider(400, {
    getGroups: (element: Element) => (groups: Group[]) => {
      const entries = entriesOf(element);
      if (!entries.length) return groups;
      const general = groups.findIndex((g) => g.id === 'general');
      groups.splice(general + 1, 0, { id: 'dvc', label: t('admin.designer.group'), entries, shouldOpen: true } as Group);
      return groups;
    },
  });
}
DvcPropertiesProvider.$inject = ['propertiesPanel'];

export const dvcPropertiesModule = {
  __init__: ['dvcPropertiesProvider'],
  dvcPropertiesProvider: ['type', DvcPropertiesProvider],
};
