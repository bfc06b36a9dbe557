import { describe, expect, test } from 'vitest';
import { messages } from '../../web/src/lib/i18n/messages.js';
import { parseLang, translate } from '../../web/src/lib/i18n/translate.js';

describe('the UI dictionary', () => {
  test('Vietnamese and English have the same keys, none empty, with the same placeholders', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.vi).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, vi] of Object.entries(messages.vi)) {
      const en = messages.en[key as keyof typeof messages.en];
      expect(vi.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      expect(placeholders(en), key).toEqual(placeholders(vi));
    }
  });

  test('Vietnamese text is in composed Unicode (NFC), so that search, sorting and fonts treat diacritics alike', () => {
    for (const [key, vi] of Object.entries(messages.vi)) expect(vi, key).toBe(vi.normalize('NFC'));
    expect(translate('vi', 'nav.myDossiers')).toBe('Hồ sơ của tôi');
  });

  test('placeholders are filled; the language defaults to Vietnamese', () => {
    expect(translate('vi', 'procedure.days', { days: 10 })).toBe('10 ngày làm việc');
    expect(translate('en', 'search.count', { count: 3, query: 'cap phep' })).toBe('3 procedures found for “cap phep”');
    expect(parseLang('en')).toBe('en');
    expect(parseLang(null)).toBe('vi');
    expect(parseLang('fr')).toBe('vi');
  });
});
