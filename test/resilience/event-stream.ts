/** A text/event-stream reader for the tests (Node 20 has no EventSource): events as they arrive, over real sockets. */

export interface StreamEvent {
  event: string;
  id: string | null;
  data: any;
}

export interface EventStreamClient {
  status: number;
  contentType: string | null;
  /** The problem body when the stream was refused. */
  problem: any;
  /** Every event so far, in order. */
  events: StreamEvent[];
  /** Comment lines so far (heartbeats). */
  comments: string[];
  /** The first event from `from` on (an index into `events`) that `accept` takes, waiting up to `timeoutMs`. */
  next(accept?: (event: StreamEvent) => boolean, timeoutMs?: number, from?: number): Promise<StreamEvent>;
  /** Resolves once the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const client: EventStreamClient = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    problem: null,
    events,
    comments,
    next(accept = () => true, timeoutMs = 10_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(accept);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  if (!response.ok) {
    client.problem = await response.json();
    return client;
  }
  client.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.includes(':')) fields[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trimStart();
          }
          if (fields.data === undefined) continue;
          events.push({ event: fields.event ?? 'message', id: fields.id ?? null, data: JSON.parse(fields.data) });
          for (const waiter of [...waiters]) waiter();
        }
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  })();
  return client;
}
