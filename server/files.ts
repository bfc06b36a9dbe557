// Names of uploaded files are metadata only: kept for display and downloads, never used as a path.

/** The name as shown and downloaded: NFC, no control characters or path separators, at most 255 characters. */
export function safeOriginalName(name: string, fallback: string): string {
  return name.normalize('NFC').replace(/[\u0000-\u001f\\/]/g, '_').slice(0, 255) || fallback;
}

/** The original name travels only in the header's RFC 5987 form; the ASCII fallback keeps no path or quote. */
export function contentDisposition(name: string, kind: 'inline' | 'attachment'): string {
  const fallback = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\/]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
