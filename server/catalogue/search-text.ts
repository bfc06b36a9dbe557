/**
 * Vietnamese folded to plain ASCII lower case: diacritics dropped, đ → d, spaces collapsed. Procedure names are
 * stored folded, and queries are folded the same way, so `cap giay phep` finds `Cấp giấy phép…`.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}.]+/gu, ' ')
    .trim();
}
