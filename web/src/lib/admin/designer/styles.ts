// bpmn-js's styles, loaded with the designer and the diff viewer only: the citizen pages never fetch them.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
