import type pg from 'pg';

/**
 * `COPY table (columns) FROM STDIN` through pg's Submittable interface (the protocol pg-copy-streams implements):
 * the client hands the connection over once the server answers CopyInResponse, rows go out as CopyData in chunks,
 * and the server's CommandComplete / ErrorResponse settle `end()`.
 */
export interface CopyWriter {
  /** One row of already escaped text columns (see `copyText`), without the trailing newline. */
  row(line: string): void;
  /** Resolves when the connection's socket has room again; call it between batches of rows. */
  drained(): Promise<void>;
  /** Finishes the COPY; resolves with the number of rows the server stored. */
  end(): Promise<number>;
}

interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream: NodeJS.WritableStream & { writableLength: number };
}

const CHUNK_BYTES = 256 * 1024;
const HIGH_WATER_BYTES = 8 * 1024 * 1024;

class CopyFromStdin {
  private connection: Connection | undefined;
  private error: Error | undefined;
  private rows = 0;
  readonly started: Promise<void>;
  readonly finished: Promise<number>;
  private resolveStarted!: () => void;
  private rejectStarted!: (err: Error) => void;
  private resolveFinished!: (rows: number) => void;
  private rejectFinished!: (err: Error) => void;

  constructor(readonly text: string) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // Whoever awaits only one of them must not leave the other rejected and unobserved.
    this.started.catch(() => undefined);
    this.finished.catch(() => undefined);
  }

  get socket() {
    return this.connection!;
  }

  get failure() {
    return this.error;
  }

  // The methods below are the Submittable protocol pg's Client drives.
  submit(connection: Connection) {
    this.connection = connection;
    connection.query(this.text);
  }
  handleCopyInResponse() {
    this.resolveStarted();
  }
  handleCommandComplete(message: { text: string }) {
    this.rows = Number(/^COPY (\d+)/.exec(message.text)?.[1] ?? 0);
  }
  handleError(err: Error) {
    this.error = err;
    this.rejectStarted(err);
  }
  handleReadyForQuery() {
    if (this.error) this.rejectFinished(this.error);
    else this.resolveFinished(this.rows);
  }
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

/** Starts a COPY on `client` (which it holds until `end()`). */
export async function copyInto(client: pg.Client | pg.PoolClient, table: string, columns: readonly string[]): Promise<CopyWriter> {
  const query = new CopyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN`);
  (client as unknown as { query(q: unknown): void }).query(query);
  await query.started;
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (!pending.length) return;
    query.socket.sendCopyFromChunk(Buffer.from(pending.join(''), 'utf8'));
    pending = [];
    pendingBytes = 0;
  };
  return {
    row(line) {
      if (query.failure) throw query.failure;
      pending.push(line, '\n');
      pendingBytes += line.length + 1;
      if (pendingBytes >= CHUNK_BYTES) flush();
    },
    async drained() {
      if (query.failure) throw query.failure;
      const stream = query.socket.stream;
      if (stream.writableLength > HIGH_WATER_BYTES) await new Promise((resolve) => stream.once('drain', resolve));
    },
    async end() {
      flush();
      query.socket.endCopyFrom();
      return query.finished;
    },
  };
}

/** A value in COPY's text format: `\N` for null, backslash escapes for the characters the format reserves. */
export function copyText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/** A text[] literal for COPY (elements are plain identifiers such as role codes). */
export function copyTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
