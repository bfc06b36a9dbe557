import pg from 'pg';

// Kept apart from vitest imports: the global setup (outside the test workers) uses these too.
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Dropping a database WITH (FORCE) kills connections still closing; that admin termination (57P01) is expected. */
export function ignoreDropTermination(err: Error) {
  if ((err as { code?: string }).code !== '57P01') process.stderr.write(`database connection lost: ${err.message}\n`);
}
