import './styles.js';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import './designer.css';
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import type { ModdleElement } from 'bpmn-moddle';
import { linkFlows, moddleExtensions } from '../../../../../engine/bpmn/moddle.js';
import type { Lang } from '../../i18n/messages.js';
import { dvcPropertiesModule } from './dvc-properties.js';
import { designerLintConfig, localizeReports, type LintReport } from './lint.js';
import { translateIn } from './translate.js';

/**
 * The process designer (loaded on demand: bpmn-js is far heavier than the rest of the app): bpmn-js's modeler
 * with the `dvc:` extension, the properties panel with the "Một cửa (DVC)" group, and the deploy-time lint live.
 */

export interface DiagramProblem {
  /** The element the problem is about (null: the diagram as a whole). */
  elementId: string | null;
  message: string;
}

interface Options {
  canvas: HTMLElement;
  panel: HTMLElement;
  lang: () => Lang;
  /** Every lint run's problems, in the current language. */
  onLint: (problems: DiagramProblem[]) => void;
  /** The diagram was edited. */
  onChange: () => void;
}

/** bpmnlint reports messages as "vi / en"; the overlays show the half of the current language. */
function LocalizedLinting(linting: { lint(): Promise<Record<string, LintReport[]>> }, config: { lang: () => Lang }) {
  const lint = linting.lint.bind(linting);
  linting.lint = () => lint().then((results) => localizeReports(results, config.lang()));
}
LocalizedLinting.$inject = ['linting', 'config.dvc'];

/**
 * Keeps popup menus (change type, append) inside the window. diagram-js flips a menu only when it would overflow
 * the whole document, so on a page taller than the window a menu opened low on the canvas ran off the screen, out
 * of reach of the mouse and of `position: fixed` scrolling.
 */
function PopupMenuInWindow(popupMenu: { _ensureVisible: (container: HTMLElement, position: { x: number; y: number }) => { x: number; y: number } }) {
  const margin = 8;
  popupMenu._ensureVisible = (container, position) => {
    const { width, height } = container.getBoundingClientRect();
    const below = position.y + height <= window.innerHeight - margin;
    const y = below ? position.y : Math.max(margin, Math.min(position.y - height, window.innerHeight - height - margin));
    return { x: Math.max(margin, Math.min(position.x, window.innerWidth - width - margin)), y };
  };
}
PopupMenuInWindow.$inject = ['popupMenu'];

export function createDesigner({ canvas, panel, lang, onLint, onChange }: Options) {
  const modeler = new Modeler({
    container: canvas,
    moddleExtensions,
    propertiesPanel: { parent: panel },
    linting: { bpmnlint: designerLintConfig, active: true },
    dvc: { lang },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      dvcPropertiesModule,
      lintModule,
      { __init__: ['localizedLinting', 'popupMenuInWindow'], localizedLinting: ['type', LocalizedLinting], popupMenuInWindow: ['type', PopupMenuInWindow] },
      { translate: ['value', translateIn(lang)] },
    ],
  });
  // Services by name, untyped: bpmn-js types few of them.
  const get = modeler.get.bind(modeler) as (name: string) => any;
  const eventBus = get('eventBus');
  eventBus.on('linting.completed', ({ issues }: { issues: Record<string, (LintReport & { actualElementId?: string })[]> }) => {
    onLint(Object.values(issues).flatMap((reports) => reports.map((r) => ({ elementId: r.actualElementId ?? r.id ?? null, message: r.message }))));
  });
  eventBus.on('commandStack.changed', onChange);
  // Before the lint, which runs on the same event at a lower priority.
  eventBus.on('import.done', ({ error }: { error?: Error }) => {
    if (!error) linkFlows(modeler.getDefinitions() as unknown as ModdleElement);
  });

  return {
    async open(xml: string): Promise<void> {
      await modeler.importXML(xml);
      get('canvas').zoom('fit-viewport', 'auto');
    },
    async xml(): Promise<string> {
      const { xml } = await modeler.saveXML({ format: true });
      return xml ?? '';
    },
    /** The process id: the key its deployed versions share. */
    processKey: (): string => get('canvas').getRootElement().businessObject.id,
    /** Whether the diagram has an element with this id (a deploy problem may name one that is gone). */
    has: (id: string) => !!get('elementRegistry').get(id),
    /** Selects an element and brings it into view, so that the properties panel shows it. */
    select(id: string) {
      const element = get('elementRegistry').get(id);
      if (!element) return;
      get('canvas').scrollToElement(element);
      get('selection').select(element);
    },
    /** After a language switch: the panel and the lint messages again, in the new language. */
    relabel() {
      eventBus.fire('propertiesPanel.providersChanged');
      get('linting').update();
    },
    destroy: () => modeler.destroy(),
  };
}

export type Designer = ReturnType<typeof createDesigner>;
