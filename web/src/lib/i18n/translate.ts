import { messages, type Lang, type MessageKey } from './messages.js';

export type MessageParams = Record<string, string | number>;

/** The UI string `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The stored language if it is one we have, else Vietnamese. */
export function parseLang(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : 'vi';
}

/** A UI string in both languages, for errors found before the API is asked. */
export const bilingual = (key: MessageKey, params?: MessageParams) => ({ vi: translate('vi', key, params), en: translate('en', key, params) });
