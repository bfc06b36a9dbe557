import type { FeeConfig } from '../catalogue/catalogue.table.js';

/**
 * The demo catalogue: real procedure names and codes from the provincial seeds (domain.md). Codes in the
 * national format (1.000564) are the national ones; the others (ATTP02, BC01…) are the province's own codes.
 * Fees and time limits are plausible demo values, to be checked against each procedure's legal basis.
 */
export const agencies = [
  { code: 'H20.11', name: 'Sở Công Thương', level: 'province' as const, slug: 'sct' },
  { code: 'H20.20', name: 'Sở Thông tin và Truyền thông', level: 'province' as const, slug: 'stttt' },
  { code: 'H20.13', name: 'Sở Văn hóa, Thể thao và Du lịch', level: 'province' as const, slug: 'svhttdl' },
  { code: 'H20.24.16', name: 'Ủy ban nhân dân phường Cẩm Thành', level: 'commune' as const, slug: 'ubndcamthanh' },
];

export const fields = [
  { code: 'TMQT', name: 'Thương mại quốc tế' },
  { code: 'KDXD', name: 'Kinh doanh khí và xăng dầu' },
  { code: 'CNDP', name: 'Công nghiệp địa phương' },
  { code: 'ATTP', name: 'An toàn thực phẩm' },
  { code: 'BC', name: 'Báo chí' },
  { code: 'PTTH', name: 'Phát thanh, truyền hình và thông tin điện tử' },
  { code: 'TDKT', name: 'Thi đua, khen thưởng văn hóa nghệ thuật' },
  { code: 'DSVH', name: 'Di sản văn hóa' },
  { code: 'LH', name: 'Lữ hành' },
  { code: 'CT', name: 'Chứng thực' },
  { code: 'HT', name: 'Hộ tịch' },
];

const text = (title: string, extra: Record<string, unknown> = {}) => ({ type: 'string', title, minLength: 1, maxLength: 500, ...extra });

const organization = {
  organizationName: text('Tên tổ chức, doanh nghiệp'),
  taxCode: text('Mã số thuế', { pattern: '^\\d{10}(-\\d{3})?$' }),
  address: text('Địa chỉ trụ sở'),
  representative: text('Người đại diện theo pháp luật'),
  phone: text('Số điện thoại', { pattern: '^(\\+84|0)\\d{9,10}$' }),
};

/** eForms (tờ khai điện tử) as JSON Schemas; server-side ajv validates them, the UI renders them. */
const eforms = {
  business: {
    type: 'object',
    additionalProperties: false,
    required: ['organizationName', 'taxCode', 'address', 'representative'],
    properties: organization,
  },
  foodSafety: {
    type: 'object',
    additionalProperties: false,
    required: ['organizationName', 'address', 'facilityType', 'products'],
    properties: {
      ...organization,
      facilityType: { type: 'string', title: 'Loại hình cơ sở', enum: ['Sản xuất', 'Kinh doanh', 'Sản xuất và kinh doanh'] },
      products: text('Nhóm sản phẩm'),
    },
  },
  press: {
    type: 'object',
    additionalProperties: false,
    required: ['organizationName', 'address', 'publicationName', 'purpose'],
    properties: {
      ...organization,
      publicationName: text('Tên ấn phẩm / trang thông tin'),
      purpose: text('Tôn chỉ, mục đích'),
      frequency: text('Kỳ hạn xuất bản'),
    },
  },
  award: {
    type: 'object',
    additionalProperties: false,
    required: ['nomineeName', 'birthYear', 'workTitle'],
    properties: {
      nomineeName: text('Họ và tên tác giả'),
      birthYear: { type: 'integer', title: 'Năm sinh', minimum: 1900, maximum: 2020 },
      workTitle: text('Tên tác phẩm, công trình'),
      artForm: text('Chuyên ngành'),
    },
  },
  certification: {
    type: 'object',
    additionalProperties: false,
    required: ['documentName', 'copies'],
    properties: {
      documentName: text('Tên giấy tờ, văn bản cần chứng thực'),
      copies: { type: 'integer', title: 'Số bản', minimum: 1, maximum: 50 },
    },
  },
  birth: {
    type: 'object',
    additionalProperties: false,
    required: ['childName', 'birthDate', 'gender', 'motherName', 'residence'],
    properties: {
      childName: text('Họ, chữ đệm và tên của trẻ'),
      birthDate: { type: 'string', title: 'Ngày sinh', format: 'date' },
      gender: { type: 'string', title: 'Giới tính', enum: ['Nam', 'Nữ'] },
      fatherName: text('Họ và tên cha'),
      motherName: text('Họ và tên mẹ'),
      residence: text('Nơi cư trú'),
    },
  },
};

type Component = { code: string; name: string; kind?: 'input' | 'result'; required?: boolean; manyFiles?: boolean; signatureRequired?: boolean };
const other: Component = { code: 'TP99', name: 'Tài liệu khác', required: false, manyFiles: true };
const result = (name: string): Component => ({ code: 'KQ01', name, kind: 'result', signatureRequired: true });
// Where the system charges the fee, it also charges the result's shipping when the applicant chooses the post.
const fee = (feeAmount: number, editable: FeeConfig['editable'] = 2): FeeConfig => ({ feeAmount, serviceAmount: 0, shipAmount: editable & 2 ? 25_000 : 0, editable });

export interface DemoProcedure {
  code: string;
  name: string;
  agency: string;
  field: string;
  level: 'full' | 'partial';
  timeLimitDays: number;
  fee: FeeConfig;
  processKey: 'standard-one-stop' | 'inter-agency';
  eform: Record<string, unknown>;
  components: Component[];
  legalBasis?: string;
}

export const procedures: DemoProcedure[] = [
  {
    code: '2.002604',
    name: 'Cấp Giấy phép thành lập Văn phòng đại diện của tổ chức xúc tiến thương mại nước ngoài tại Việt Nam',
    agency: 'H20.11', field: 'TMQT', level: 'partial', timeLimitDays: 10, fee: fee(3_000_000), processKey: 'standard-one-stop', eform: eforms.business,
    components: [
      { code: 'TP01', name: 'Đơn đề nghị cấp Giấy phép thành lập Văn phòng đại diện', required: true },
      { code: 'TP02', name: 'Bản sao văn bản xác nhận tư cách pháp lý của tổ chức xúc tiến thương mại nước ngoài', required: true },
      other, result('Giấy phép thành lập Văn phòng đại diện'),
    ],
  },
  {
    code: 'MAU_10696',
    name: 'Cấp Giấy tiếp nhận thông báo kinh doanh xăng dầu bằng thiết bị bán xăng dầu quy mô nhỏ',
    agency: 'H20.11', field: 'KDXD', level: 'full', timeLimitDays: 5, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.business,
    components: [{ code: 'TP01', name: 'Văn bản thông báo kinh doanh xăng dầu bằng thiết bị bán xăng dầu quy mô nhỏ', required: true }, other, result('Giấy tiếp nhận thông báo')],
  },
  {
    code: '2.000331',
    name: 'Cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp Tỉnh',
    agency: 'H20.11', field: 'CNDP', level: 'partial', timeLimitDays: 30, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.business,
    components: [
      { code: 'TP05', name: 'Văn bản đề nghị của Ủy ban nhân dân cấp huyện kèm theo danh sách trích ngang các sản phẩm đăng ký tham gia bình chọn cấp tỉnh', required: true },
      { code: 'TP06', name: 'Hồ sơ đăng ký tham gia bình chọn của cơ sở (nơi không tổ chức bình chọn cấp huyện)', required: false },
      other, result('Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu'),
    ],
  },
  {
    code: 'ATTP02',
    name: 'Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm do Sở Công Thương thực hiện',
    agency: 'H20.11', field: 'ATTP', level: 'partial', timeLimitDays: 20, fee: fee(2_500_000), processKey: 'standard-one-stop', eform: eforms.foodSafety,
    components: [
      { code: 'TP01', name: 'Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', required: true },
      { code: 'TP02', name: 'Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ bảo đảm điều kiện vệ sinh an toàn thực phẩm', required: true },
      { code: 'TP03', name: 'Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất, kinh doanh thực phẩm', required: true, manyFiles: true },
      other, result('Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm'),
    ],
    legalBasis: 'Nghị định số 15/2018/NĐ-CP; Thông tư số 43/2018/TT-BCT',
  },
  {
    code: 'ATTP01',
    name: 'Cấp lại Giấy chứng nhận đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm do Sở Công Thương thực hiện',
    agency: 'H20.11', field: 'ATTP', level: 'full', timeLimitDays: 5, fee: fee(1_000_000), processKey: 'standard-one-stop', eform: eforms.foodSafety,
    components: [{ code: 'TP01', name: 'Đơn đề nghị cấp lại Giấy chứng nhận', required: true }, { code: 'TP02', name: 'Giấy chứng nhận đã được cấp (nếu còn)', required: false }, other, result('Giấy chứng nhận cấp lại')],
  },
  {
    code: 'ATTP03',
    name: 'Cấp giấy xác nhận kiến thức về an toàn thực phẩm cho tổ chức và cá nhân sản xuất, kinh doanh thực phẩm do Sở Công Thương thực hiện',
    agency: 'H20.11', field: 'ATTP', level: 'full', timeLimitDays: 5, fee: fee(30_000), processKey: 'standard-one-stop', eform: eforms.foodSafety,
    components: [{ code: 'TP01', name: 'Đơn đề nghị xác nhận kiến thức về an toàn thực phẩm', required: true }, { code: 'TP02', name: 'Danh sách người được đề nghị xác nhận', required: true }, other, result('Giấy xác nhận kiến thức về an toàn thực phẩm')],
  },
  {
    code: 'BC01',
    name: 'Cấp giấy phép xuất bản bản tin',
    agency: 'H20.20', field: 'BC', level: 'full', timeLimitDays: 15, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.press,
    components: [{ code: 'TP01', name: 'Tờ khai đề nghị cấp giấy phép xuất bản bản tin', required: true }, { code: 'TP02', name: 'Mẫu trình bày tên gọi và hình thức bản tin', required: true }, other, result('Giấy phép xuất bản bản tin')],
  },
  {
    code: 'BC02',
    name: 'Cho phép họp báo',
    agency: 'H20.20', field: 'BC', level: 'full', timeLimitDays: 2, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.press,
    components: [{ code: 'TP01', name: 'Văn bản thông báo tổ chức họp báo', required: true }, other, result('Văn bản trả lời')],
  },
  {
    code: 'BC03',
    name: 'Cho phép họp báo (nước ngoài)',
    agency: 'H20.20', field: 'BC', level: 'full', timeLimitDays: 2, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.press,
    components: [{ code: 'TP01', name: 'Văn bản thông báo tổ chức họp báo của tổ chức, cá nhân nước ngoài', required: true }, other, result('Văn bản trả lời')],
  },
  {
    code: 'BC05',
    name: 'Thay đổi nội dung ghi trong giấy phép xuất bản bản tin',
    agency: 'H20.20', field: 'BC', level: 'full', timeLimitDays: 7, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.press,
    components: [{ code: 'TP01', name: 'Văn bản đề nghị thay đổi nội dung giấy phép', required: true }, other, result('Văn bản chấp thuận thay đổi')],
  },
  {
    code: 'PTTT01',
    name: 'Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp',
    agency: 'H20.20', field: 'PTTH', level: 'full', timeLimitDays: 10, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.press,
    components: [
      { code: 'TP01', name: 'Đơn đề nghị cấp giấy phép thiết lập trang thông tin điện tử tổng hợp', required: true },
      { code: 'TP02', name: 'Đề án hoạt động có chữ ký, dấu của người đứng đầu tổ chức', required: true },
      other, result('Giấy phép thiết lập trang thông tin điện tử tổng hợp'),
    ],
  },
  {
    code: 'PTTT02',
    name: 'Cấp lại giấy phép thiết lập trang thông tin điện tử tổng hợp',
    agency: 'H20.20', field: 'PTTH', level: 'full', timeLimitDays: 5, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.press,
    components: [{ code: 'TP01', name: 'Đơn đề nghị cấp lại giấy phép', required: true }, other, result('Giấy phép cấp lại')],
  },
  {
    code: '1.000564',
    name: 'Xét tặng "Giải thưởng Nhà nước" về văn học, nghệ thuật',
    agency: 'H20.13', field: 'TDKT', level: 'partial', timeLimitDays: 30, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.award,
    components: [
      { code: 'TP01', name: 'Bản khai đăng ký tác phẩm (Mẫu số 1b, Nghị định số 90/2014/NĐ-CP)', required: true },
      { code: 'TP02', name: 'Bản sao, ảnh chụp tác phẩm trên khổ A4 kèm thông tin công bố', required: true, manyFiles: true },
      { code: 'TP03', name: 'Quyết định tặng giải thưởng, giấy chứng nhận đã có', required: false, manyFiles: true },
      other, result('Bằng chứng nhận của Chủ tịch nước'),
    ],
    legalBasis: 'Nghị định số 90/2014/NĐ-CP',
  },
  {
    code: '1.000871',
    name: 'Xét tặng "Giải thưởng Hồ Chí Minh" về văn học, nghệ thuật',
    agency: 'H20.13', field: 'TDKT', level: 'partial', timeLimitDays: 30, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.award,
    components: [{ code: 'TP01', name: 'Bản khai đăng ký tác phẩm', required: true }, { code: 'TP02', name: 'Bản sao, ảnh chụp tác phẩm', required: true, manyFiles: true }, other, result('Bằng chứng nhận của Chủ tịch nước')],
  },
  {
    code: '1.000971',
    name: 'Xét tặng danh hiệu "Nghệ nhân ưu tú" trong lĩnh vực di sản văn hóa phi vật thể',
    agency: 'H20.13', field: 'DSVH', level: 'partial', timeLimitDays: 30, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.award,
    components: [{ code: 'TP01', name: 'Bản khai đề nghị xét tặng danh hiệu', required: true }, { code: 'TP02', name: 'Tài liệu chứng minh thành tích', required: false, manyFiles: true }, other, result('Quyết định phong tặng danh hiệu')],
  },
  {
    code: '1.001837',
    name: 'Chấm dứt hoạt động của Văn phòng đại diện tại Việt Nam của doanh nghiệp kinh doanh dịch vụ lữ hành nước ngoài',
    agency: 'H20.13', field: 'LH', level: 'full', timeLimitDays: 7, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.business,
    components: [{ code: 'TP01', name: 'Thông báo chấm dứt hoạt động của Văn phòng đại diện', required: true }, { code: 'TP02', name: 'Bản gốc giấy phép thành lập Văn phòng đại diện', required: true }, other, result('Văn bản xác nhận chấm dứt hoạt động')],
  },
  {
    code: 'CT01',
    name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp',
    agency: 'H20.24.16', field: 'CT', level: 'partial', timeLimitDays: 1, fee: fee(2_000, 3), processKey: 'standard-one-stop', eform: eforms.certification,
    components: [{ code: 'TP01', name: 'Bản chính giấy tờ, văn bản cần chứng thực (bản chụp)', required: true, manyFiles: true }, other, result('Bản sao được chứng thực')],
  },
  {
    code: 'CT02',
    name: 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản',
    agency: 'H20.24.16', field: 'CT', level: 'partial', timeLimitDays: 2, fee: fee(50_000, 3), processKey: 'standard-one-stop', eform: eforms.certification,
    components: [{ code: 'TP01', name: 'Dự thảo hợp đồng, giao dịch', required: true }, { code: 'TP02', name: 'Giấy tờ tùy thân của người yêu cầu chứng thực', required: true }, { code: 'TP03', name: 'Giấy chứng nhận đăng ký xe (hoặc giấy tờ về quyền sở hữu tài sản)', required: true }, other, result('Hợp đồng được chứng thực')],
  },
  {
    code: 'HT01',
    name: 'Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    agency: 'H20.24.16', field: 'HT', level: 'full', timeLimitDays: 5, fee: fee(0, 0), processKey: 'inter-agency', eform: eforms.birth,
    components: [
      { code: 'TP01', name: 'Tờ khai đăng ký khai sinh', required: true },
      { code: 'TP02', name: 'Giấy chứng sinh', required: true },
      { code: 'TP03', name: 'Tờ khai thay đổi thông tin cư trú', required: true },
      { code: 'TP04', name: 'Tờ khai tham gia bảo hiểm y tế', required: true },
      other, result('Giấy khai sinh (bản chính)'),
    ],
  },
  {
    code: 'HT02',
    name: 'Đăng ký khai sinh',
    agency: 'H20.24.16', field: 'HT', level: 'full', timeLimitDays: 1, fee: fee(0, 0), processKey: 'standard-one-stop', eform: eforms.birth,
    components: [{ code: 'TP01', name: 'Tờ khai đăng ký khai sinh', required: true }, { code: 'TP02', name: 'Giấy chứng sinh', required: true }, other, result('Giấy khai sinh (bản chính)')],
  },
];

/** Staff of each agency, one per role, and the province-wide accounts. */
export const staffRoles = ['one-stop-officer', 'dept-leader', 'handler', 'agency-leader', 'clerk'] as const;
export const roleLogins: Record<(typeof staffRoles)[number], { login: string; name: string }> = {
  'one-stop-officer': { login: 'motcua', name: 'Cán bộ một cửa' },
  'dept-leader': { login: 'lanhdaophong', name: 'Lãnh đạo phòng' },
  handler: { login: 'chuyenvien', name: 'Chuyên viên thụ lý' },
  'agency-leader': { login: 'lanhdao', name: 'Lãnh đạo cơ quan' },
  clerk: { login: 'vanthu', name: 'Văn thư' },
};
// A reserved top-level domain (RFC 2606): demo addresses can never reach a real mailbox.
export const DEMO_EMAIL_DOMAIN = 'dvc.example';
export const demoCitizen = { fullName: 'Nguyễn Văn An', idNumber: '001090000001', phone: '0912000001', email: `congdan@${DEMO_EMAIL_DOMAIN}` };
