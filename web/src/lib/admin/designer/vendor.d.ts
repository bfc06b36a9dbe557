// Declarations for the untyped bpmn.io packages the designer uses, as far as it uses them. The engine's own
// declarations (bpmn-moddle, bpmnlint) come along, since the designer lints with the engine's rules.
/// <reference path="../../../../../engine/types.d.ts" />

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  /** A diagram service inside a properties panel component. */
  export function useService<T = any>(name: string, strict?: boolean): T;
}

declare module '@bpmn-io/properties-panel' {
  interface EntryProps<V> {
    element: unknown;
    id: string;
    label: string;
    description?: string;
    getValue(element: unknown): V;
    setValue(value: V, error?: string | null): void;
  }
  export function TextFieldEntry(props: EntryProps<string | undefined> & { debounce: unknown; validate?: (value: string | undefined) => string | null | undefined }): unknown;
  export function SelectEntry(props: EntryProps<string> & { getOptions(element: unknown): { value: string; label: string }[] }): unknown;
  export function CheckboxGroup(props: EntryProps<string[]> & { options: { value: string; label: string }[] }): unknown;
  export function isTextFieldEntryEdited(node: HTMLElement | null): boolean;
  export function isSelectEntryEdited(node: HTMLElement | null): boolean;
}

declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>;
  export default lintModule;
}

declare module 'bpmn-js-differ' {
  import type { ModdleElement } from 'bpmn-moddle';
  export interface Changes {
    _added: Record<string, ModdleElement>;
    _removed: Record<string, ModdleElement>;
    _changed: Record<string, { model: ModdleElement; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, ModdleElement>;
  }
  export function diff(a: ModdleElement, b: ModdleElement): Changes;
}
