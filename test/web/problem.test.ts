import { describe, expect, test } from 'vitest';
import { ApiError, errorReport, problemOf, type Problem } from '../../web/src/lib/api/problem.js';

const formInvalid: Problem = {
  type: '/problems/form-invalid',
  title: 'Some form fields are invalid',
  status: 422,
  detail: 'Some form fields are invalid',
  messageVi: 'Tờ khai có trường chưa hợp lệ',
  messageEn: 'Some form fields are invalid',
  errors: [
    { path: '/body/form/taxCode', message: { vi: 'Giá trị không đúng mẫu quy định', en: 'must match pattern' } },
    { path: '/body/form/taxCode', message: { vi: 'Tối đa 13 ký tự', en: 'too long' } },
    { path: '/files/TP05', message: { vi: 'Thiếu thành phần', en: 'Missing component' } },
    { path: null, message: { vi: 'Lỗi chung', en: 'General' } },
  ],
};

const targets: Record<string, { id: string; label: string; href?: string }> = {
  '/body/form/taxCode': { id: 'eform-taxCode', label: 'Mã số thuế' },
  '/files/TP05': { id: 'file-TP05', label: 'Văn bản đề nghị', href: '/dossiers/1/files#file-TP05' },
};

describe('problem+json on a form', () => {
  test('field errors go under their control and into the summary with the label; others into the summary only', () => {
    const report = errorReport(new ApiError(formInvalid), 'vi', (path) => targets[path], 'fallback');
    expect(report.byField).toEqual({ 'eform-taxCode': 'Giá trị không đúng mẫu quy định; Tối đa 13 ký tự' });
    expect(report.summary).toEqual([
      { message: 'Mã số thuế: Giá trị không đúng mẫu quy định', href: '#eform-taxCode' },
      { message: 'Mã số thuế: Tối đa 13 ký tự', href: '#eform-taxCode' },
      { message: 'Văn bản đề nghị: Thiếu thành phần', href: '/dossiers/1/files#file-TP05' },
      { message: 'Lỗi chung' },
    ]);
  });

  test('the language picks the message; a problem without fields is one summary line', () => {
    const english = errorReport(new ApiError(formInvalid), 'en', (path) => targets[path], 'fallback');
    expect(english.summary[0]!.message).toBe('Mã số thuế: must match pattern');
    const { errors: _, ...withoutFields } = formInvalid;
    expect(errorReport(new ApiError(withoutFields), 'vi', () => undefined, 'fallback').summary).toEqual([{ message: 'Tờ khai có trường chưa hợp lệ' }]);
    expect(errorReport(new ApiError(withoutFields), 'en', () => undefined, 'fallback').summary).toEqual([{ message: 'Some form fields are invalid' }]);
  });

  test('anything that is not a problem reports the fallback text', () => {
    expect(errorReport(new Error('boom'), 'vi', () => undefined, 'Đã có lỗi xảy ra').summary).toEqual([{ message: 'Đã có lỗi xảy ra' }]);
    const proxyPage = new ApiError(problemOf(502, '<html>Bad gateway</html>'));
    expect([proxyPage.status, proxyPage.code]).toEqual([502, 'http-502']);
    expect(errorReport(proxyPage, 'vi', () => undefined, 'Đã có lỗi xảy ra').summary).toEqual([{ message: 'Đã có lỗi xảy ra' }]);
  });

  test('a problem body is read as sent', () => {
    const parsed = problemOf(422, JSON.stringify(formInvalid));
    expect(parsed).toEqual(formInvalid);
    expect(new ApiError(parsed).code).toBe('form-invalid');
  });
});
