import type { Lang } from './i18n/messages.js';

/** Dates, money and sizes as Vietnamese public services write them: dd/MM/yyyy HH:mm in Vietnam's time zone, VND. */
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// Assembled from parts: the vi-VN locale itself puts the time first ("14:30 21/08/2024").
function parts(iso: string | Date) {
  const p = Object.fromEntries(dateParts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return { date: `${p.day}/${p.month}/${p.year}`, time: `${p.hour}:${p.minute}` };
}

/** 21/08/2024 14:30 */
export function formatDateTime(iso: string | Date): string {
  const { date, time } = parts(iso);
  return `${date} ${time}`;
}

/** 21/08/2024 */
export const formatDate = (iso: string | Date): string => parts(iso).date;

/** 3.000.000 ₫ (Vietnamese grouping in both languages, as on receipts). */
export function formatMoney(amount: number): string {
  return new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }).format(amount);
}

/** 12,5 kB / 12.5 kB */
export function formatFileSize(bytes: number, lang: Lang): string {
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/** 5 ngày làm việc / 1.5 working days */
export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(value);
}

/** A media type as people name it: application/pdf → PDF. */
export function fileTypeLabel(mediaType: string): string {
  const subtype = mediaType.split('/')[1] ?? mediaType;
  return (subtype === 'jpeg' ? 'JPG' : subtype).toUpperCase();
}
