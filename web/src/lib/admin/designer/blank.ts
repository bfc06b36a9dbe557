/**
 * A new diagram: an executable process with its start event. The process id is the key every deployed version
 * shares, so a new diagram gets one of its own; the admin may rename it in the properties panel.
 */
export function blankDiagram(processName: string, startName: string, suffix = Math.random().toString(36).slice(2, 8)): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const id = `process-${suffix}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:dvc="urn:vn-dvc:bpmn:1.0" id="Definitions_${suffix}" targetNamespace="urn:vn-dvc:processes">
  <bpmn:process id="${id}" name="${escape(processName)}" isExecutable="true">
    <bpmn:startEvent id="submitted" name="${escape(startName)}" dvc:dossierStatus="1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_${suffix}">
    <bpmndi:BPMNPlane id="Plane_${suffix}" bpmnElement="${id}">
      <bpmndi:BPMNShape id="submitted_di" bpmnElement="submitted">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
