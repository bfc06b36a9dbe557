import { browser } from '$app/environment';
import type { Lang, MessageKey } from './messages.js';
import { parseLang, translate, type MessageParams } from './translate.js';

const STORAGE_KEY = 'dvc.lang';

let current = $state<Lang>(browser ? parseLang(localStorage.getItem(STORAGE_KEY)) : 'vi');

/** The UI language: Vietnamese unless the user chose English, remembered in this browser. */
export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(lang: Lang) {
    current = lang;
    localStorage.setItem(STORAGE_KEY, lang);
  },
};

/** A UI string in the current language; reading it inside markup re-renders on a language switch. */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(current, key, params);
}
