// Ambient declarations for untyped BPMN tooling packages.
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    $type: string;
    $parent?: ModdleElement;
    $instanceOf(type: string): boolean;
    id?: string;
    name?: string;
    [key: string]: any;
  }
  export interface ImportWarning {
    message: string;
    element?: ModdleElement;
    error?: Error;
  }
  export interface ImportResult {
    rootElement: ModdleElement;
    references: unknown[];
    warnings: ImportWarning[];
    elementsById: Record<string, ModdleElement>;
  }
  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ImportResult>;
  }
}
declare module 'bpmnlint' {
  export class Linter {
    constructor(options: { config: Record<string, unknown>; resolver: unknown });
    lint(definitions: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: string }>>>;
  }
}
declare module 'bpmnlint-utils' {
  export function is(node: unknown, type: string): boolean;
  export function isAny(node: unknown, types: string[]): boolean;
}
declare module 'bpmnlint/rules/*' {
  const factory: (config?: unknown) => { check: unknown };
  export default factory;
}
