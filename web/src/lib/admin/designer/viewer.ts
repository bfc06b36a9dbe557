import './styles.js';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { moddleExtensions } from '../../../../../engine/bpmn/moddle.js';

/** A read-only diagram with some elements marked (the diff page); loaded on demand like the designer. */
export async function showDiagram(container: HTMLElement, xml: string, markers: Record<string, string>) {
  const viewer = new NavigatedViewer({ container, moddleExtensions });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas') as { zoom(level: string): void; addMarker(id: string, marker: string): void };
  canvas.zoom('fit-viewport');
  const registry = viewer.get('elementRegistry') as { get(id: string): unknown };
  for (const [id, marker] of Object.entries(markers)) if (registry.get(id)) canvas.addMarker(id, marker);
  return viewer;
}
