/**
 * bpmn-js and its styles, loaded on demand (`await import('./viewer.js')`) so that only the pages showing a
 * diagram pay for them. The plain Viewer: the page scrolls and zooms the diagram itself (see BpmnDiagram.svelte).
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

export { default as Viewer } from 'bpmn-js/lib/Viewer';
