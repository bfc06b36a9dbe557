/** Vietnamese names, businesses and eForm answers for generated dossiers, drawn from small realistic pools. */

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const SURNAMES = ['Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Lê', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Mai', 'Trịnh', 'Đinh', 'Lương'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quang', 'Thu', 'Xuân', 'Hoài', 'Kim', 'Bảo', 'Gia', 'Anh', 'Thế', 'Công'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Minh', 'Nam', 'Nga', 'Ngân', 'Nhung', 'Phong', 'Phúc', 'Phương', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Thắng', 'Thủy', 'Trang', 'Trung', 'Tuấn', 'Tú', 'Vân', 'Việt', 'Yến'];
const STREETS = ['Lê Lợi', 'Trần Phú', 'Quang Trung', 'Hàng Đồng', 'Phan Chu Trinh', 'Lê Hoàn', 'Bà Triệu', 'Nguyễn Trãi', 'Hạc Thành', 'Tống Duy Tân', 'Đại lộ Lê Lợi', 'Lý Thường Kiệt'];
const WARDS = ['phường Cẩm Thành', 'phường Điện Biên', 'phường Ba Đình', 'phường Lam Sơn', 'phường Đông Thọ', 'phường Trường Thi', 'phường Ngọc Trạo', 'phường Tân Sơn'];
const TRADE_NAMES = ['Minh Phát', 'Hoàng Long', 'Thành Công', 'An Khang', 'Phú Thịnh', 'Sao Việt', 'Đại Dương', 'Hưng Thịnh', 'Thanh Bình', 'Kim Ngân', 'Trường Sơn', 'Lam Kinh'];
const COMPANY_FORMS = ['Công ty TNHH', 'Công ty cổ phần', 'Hộ kinh doanh', 'Hợp tác xã'];
const PRODUCTS = ['Bánh kẹo', 'Nước giải khát', 'Thực phẩm chế biến sẵn', 'Nem chua Thanh Hóa', 'Nước mắm', 'Rau củ quả', 'Thủy sản khô', 'Bún, phở, bánh đa'];
const PUBLICATIONS = ['Bản tin Công Thương', 'Bản tin Nông nghiệp xanh', 'Trang tin điện tử tổng hợp Xứ Thanh', 'Bản tin Doanh nhân', 'Bản tin Du lịch Sầm Sơn'];
const PURPOSES = ['Thông tin hoạt động của đơn vị', 'Phổ biến chính sách, pháp luật', 'Quảng bá du lịch địa phương', 'Thông tin thị trường nông sản'];
const WORKS = ['Tuyển tập thơ Sông Mã', 'Tiểu thuyết Đất và người', 'Bộ ảnh Miền Tây xứ Thanh', 'Vở chèo Trầu cau', 'Nhạc phẩm Hàm Rồng'];
const ART_FORMS = ['Văn học', 'Nhiếp ảnh', 'Sân khấu', 'Âm nhạc', 'Mỹ thuật', 'Nghề truyền thống'];
const DOCUMENTS = ['Giấy khai sinh', 'Bằng tốt nghiệp trung học phổ thông', 'Căn cước công dân', 'Giấy chứng nhận quyền sử dụng đất', 'Hợp đồng mua bán xe mô tô', 'Học bạ', 'Giấy đăng ký kết hôn'];
const FREQUENCIES = ['Hằng tháng', 'Hằng quý', '2 kỳ/tháng'];

export function personName(r: () => number): string {
  return `${pick(r, SURNAMES)} ${pick(r, MIDDLE)} ${pick(r, GIVEN)}`;
}

function address(r: () => number): string {
  return `Số ${1 + Math.floor(r() * 300)} ${pick(r, STREETS)}, ${pick(r, WARDS)}, thành phố Thanh Hóa`;
}

const digits = (r: () => number, count: number) => Array.from({ length: count }, () => Math.floor(r() * 10)).join('');

/** Plausible answers per eForm field, by the field names the demo catalogue's schemas use. */
const FIELDS: Record<string, (r: () => number, at: Date) => unknown> = {
  organizationName: (r) => `${pick(r, COMPANY_FORMS)} ${pick(r, TRADE_NAMES)}`,
  taxCode: (r) => `28${digits(r, 8)}`,
  address,
  residence: address,
  representative: personName,
  nomineeName: personName,
  childName: personName,
  fatherName: personName,
  motherName: personName,
  phone: (r) => `09${digits(r, 8)}`,
  products: (r) => pick(r, PRODUCTS),
  publicationName: (r) => pick(r, PUBLICATIONS),
  purpose: (r) => pick(r, PURPOSES),
  frequency: (r) => pick(r, FREQUENCIES),
  workTitle: (r) => pick(r, WORKS),
  artForm: (r) => pick(r, ART_FORMS),
  documentName: (r) => pick(r, DOCUMENTS),
  birthDate: (r, at) => new Date(at.getTime() - Math.floor(r() * 50 + 1) * 86_400_000).toISOString().slice(0, 10),
};

interface FieldSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  title?: string;
}

/** A complete answer to an eForm (every property its schema declares), as a submitted dossier holds. */
export function fakeForm(schema: Record<string, unknown>, r: () => number, at: Date): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, FieldSchema>;
  const form: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(properties)) {
    if (field.enum) form[name] = pick(r, field.enum);
    else if (FIELDS[name]) form[name] = FIELDS[name](r, at);
    else if (field.type === 'integer') form[name] = Math.floor((field.minimum ?? 1) + r() * Math.min(60, (field.maximum ?? 10) - (field.minimum ?? 1)));
    else form[name] = `${field.title ?? name} ${1 + Math.floor(r() * 99)}`;
  }
  return form;
}
