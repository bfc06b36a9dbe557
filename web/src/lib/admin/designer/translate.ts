import type { Lang } from '../../i18n/messages.js';

/**
 * Vietnamese for the bpmn-js user interface the admin sees (palette, context pad, element types, the standard
 * properties groups, the lint button). bpmn-js asks for its English source strings through its `translate`
 * service; strings missing here stay in English.
 */
const vi: Record<string, string> = {
  // palette
  'Activate hand tool': 'Kéo sơ đồ',
  'Activate lasso tool': 'Chọn nhiều phần tử',
  'Activate create/remove space tool': 'Thêm hoặc bớt khoảng trống',
  'Activate global connect tool': 'Nối hai phần tử',
  'Create start event': 'Thêm sự kiện bắt đầu',
  'Create intermediate/boundary event': 'Thêm sự kiện trung gian',
  'Create end event': 'Thêm sự kiện kết thúc',
  'Create gateway': 'Thêm cổng rẽ nhánh',
  'Create task': 'Thêm bước',
  'Create expanded sub-process': 'Thêm quy trình con',
  'Create data object reference': 'Thêm đối tượng dữ liệu',
  'Create data store reference': 'Thêm kho dữ liệu',
  'Create pool/participant': 'Thêm bể (pool)',
  'Create group': 'Thêm nhóm',
  // context pad
  'Append end event': 'Nối tiếp sự kiện kết thúc',
  'Append gateway': 'Nối tiếp cổng rẽ nhánh',
  'Append task': 'Nối tiếp bước',
  'Append intermediate/boundary event': 'Nối tiếp sự kiện trung gian',
  'Add text annotation': 'Thêm ghi chú',
  'Change element': 'Đổi loại phần tử',
  'Connect to other element': 'Nối tới phần tử khác',
  'Connect using association': 'Nối bằng liên kết',
  Delete: 'Xóa',
  'Search in diagram': 'Tìm trong sơ đồ',
  // element types (change-type menu)
  Task: 'Bước (chưa phân loại)',
  'User task': 'Bước xử lý (user task)',
  'Receive task': 'Chờ thông điệp (receive task)',
  'Start event': 'Sự kiện bắt đầu',
  'End event': 'Sự kiện kết thúc',
  'Exclusive gateway': 'Cổng loại trừ (một nhánh)',
  'Parallel gateway': 'Cổng song song',
  'Event-based gateway': 'Cổng theo sự kiện',
  'Timer intermediate catch event': 'Hẹn giờ',
  'Message intermediate catch event': 'Chờ thông điệp',
  'Sub-process (collapsed)': 'Quy trình con (thu gọn)',
  'Sub-process (expanded)': 'Quy trình con (mở rộng)',
  // standard properties
  General: 'Chung',
  Name: 'Tên',
  ID: 'Mã (ID)',
  Documentation: 'Mô tả',
  'Element documentation': 'Mô tả phần tử',
  'Process documentation': 'Mô tả quy trình',
  Executable: 'Thực thi được',
  'Version tag': 'Nhãn phiên bản',
  Timer: 'Hẹn giờ',
  Type: 'Loại',
  Value: 'Giá trị',
  Message: 'Thông điệp',
  'ID must not be empty.': 'Mã không được để trống.',
  'ID must be unique.': 'Mã đã được dùng cho phần tử khác.',
  'ID must not contain spaces.': 'Mã không được chứa dấu cách.',
  'ID must be a valid QName.': 'Mã phải bắt đầu bằng chữ cái và chỉ gồm chữ, số, dấu gạch.',
  'Select an element to edit its properties.': 'Chọn một phần tử để sửa thuộc tính.',
  'Multiple elements are selected. Select a single element to edit its properties.': 'Đang chọn nhiều phần tử. Hãy chọn một phần tử để sửa thuộc tính.',
  // lint (bpmn-js-bpmnlint)
  '{errors} Errors, {warnings} Warnings': '{errors} lỗi, {warnings} cảnh báo',
  'No Issues': 'Không có lỗi',
  'Toggle linting overlays': 'Bật/tắt hiển thị lỗi trên sơ đồ',
  'Issues for child elements': 'Lỗi của các phần tử bên trong',
};

/** bpmn-js's `translate` service in the language `lang()` gives at the time of the call. */
export function translateIn(lang: () => Lang) {
  return (template: string, replacements: Record<string, string> = {}): string => {
    const text = (lang() === 'vi' && vi[template]) || template;
    return text.replace(/{([^}]+)}/g, (whole, key: string) => replacements[key] ?? whole);
  };
}
