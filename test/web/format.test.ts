import { describe, expect, test } from 'vitest';
import { fileTypeLabel, formatDateTime, formatFileSize, formatMoney, formatNumber } from '../../web/src/lib/format.js';

describe('Vietnamese formats', () => {
  test('dates are dd/MM/yyyy HH:mm in Vietnam’s time zone, whatever the machine’s', () => {
    expect(formatDateTime('2024-08-21T07:30:00Z')).toBe('21/08/2024 14:30');
    expect(formatDateTime('2024-12-31T17:05:00Z')).toBe('01/01/2025 00:05');
    expect(formatDateTime(new Date('2024-08-20T18:00:00Z'))).toBe('21/08/2024 01:00');
  });

  test('money in VND with dot grouping; sizes and numbers by language', () => {
    expect(formatMoney(3_000_000).replace(/\s/g, ' ')).toBe('3.000.000 ₫');
    expect(formatFileSize(512, 'vi')).toBe('512 B');
    expect(formatFileSize(1536, 'vi')).toBe('1,5 kB');
    expect(formatFileSize(1536, 'en')).toBe('1.5 kB');
    expect(formatFileSize(10 * 1024 * 1024, 'en')).toBe('10 MB');
    expect(formatNumber(1.5, 'vi')).toBe('1,5');
    expect(fileTypeLabel('application/pdf')).toBe('PDF');
    expect(fileTypeLabel('image/jpeg')).toBe('JPG');
  });
});
