import type { ApiClient } from './client.js';

/** What GET /api/dossiers/:id/events says of a dossier: its history now ends at `seq`, with national status `status`. */
export interface DossierEvent {
  dossierId: string;
  seq: number;
  status: number | null;
}

export interface WatchOptions {
  /** Where the page's data ends (its `lastEventSeq`): changes after it are announced, even those made before connecting. */
  after?: number | null;
  /** The dossier changed: the page reloads its data. A burst of changes is announced once. */
  onChange: (event: DossierEvent) => void;
  /** The browser's EventSource; another implementation in tests. */
  EventSource?: typeof EventSource;
  /** First wait before reopening a stream that failed for good; doubles up to 30 s. */
  retryMs?: number;
}

/**
 * Follows a dossier live, for the citizen's dossier page and the officer's task page. The cursor (last seq seen)
 * goes with every reconnection, so nothing is missed: the browser resends it as Last-Event-ID on its own
 * retries, and a stream refused for good (its access token expired, the server went away) is reopened here with
 * a fresh token and `after`. Returns the function that stops following.
 */
export function watchDossier(api: Pick<ApiClient, 'accessToken'>, dossierId: string, options: WatchOptions): () => void {
  const Source = options.EventSource ?? globalThis.EventSource;
  const firstRetryMs = options.retryMs ?? 1_000;
  let cursor = options.after ?? null;
  let source: EventSource | null = null;
  let stopped = false;
  let retryMs = firstRetryMs;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let announce: ReturnType<typeof setTimeout> | undefined;

  const eventOf = (message: Event) => JSON.parse((message as Event & { data: string }).data) as DossierEvent;

  async function open() {
    const token = await api.accessToken().catch(() => undefined);
    if (stopped) return;
    // Unreachable API: retried like a dropped stream. No session: nothing to follow (the page's next request
    // sends the user to log in).
    if (token === undefined) return reopen();
    if (token === null) return;
    const query = new URLSearchParams({ access_token: token });
    if (cursor !== null) query.set('after', String(cursor));
    const opened = new Source(`/api/dossiers/${encodeURIComponent(dossierId)}/events?${query}`);
    source = opened;
    opened.addEventListener('ready', (message) => {
      cursor = eventOf(message).seq;
      retryMs = firstRetryMs;
    });
    opened.addEventListener('dossier', (message) => {
      const event = eventOf(message);
      cursor = event.seq;
      clearTimeout(announce);
      announce = setTimeout(() => options.onChange(event), 150);
    });
    opened.onerror = () => {
      // CONNECTING: the browser retries by itself, with Last-Event-ID. CLOSED: it gave up; so do we, for a while.
      if (opened.readyState === Source.CLOSED) reopen();
    };
  }

  function reopen() {
    source?.close();
    source = null;
    if (stopped) return;
    retry = setTimeout(() => void open(), retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  }

  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    clearTimeout(announce);
    source?.close();
  };
}
