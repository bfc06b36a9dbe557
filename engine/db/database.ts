import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { DefinitionTable } from '../definitions/definition.table.js';
import type { InstanceTable, InstanceVersionTable } from '../instances/instance.table.js';
import type { TaskTable } from '../tasks/task.table.js';
import type { HistoryEventTable } from '../history/history.table.js';
import type { JobTable } from '../jobs/job.table.js';
import type { OutboxMessageTable } from '../outbox/outbox.table.js';
import type { CalendarDayTable } from '../calendar/calendar.table.js';
import type {
  AgencyTable,
  RefreshTokenTable,
  ServerSecretTable,
  UserRoleTable,
  UserTable,
} from '../../server/accounts/account.table.js';
import type { FieldTable, ProcedureComponentTable, ProcedureFormTable, ProcedureTable } from '../../server/catalogue/catalogue.table.js';
import type { DossierCodeSequenceTable, DossierFileTable, DossierRatingTable, DossierTable, FileBlobTable } from '../../server/dossiers/dossier.table.js';
import type { PaymentAttemptTable, PaymentReceiptSequenceTable, PaymentTable } from '../../server/payments/payment.table.js';
import type { DeliveryTable } from '../../server/deliveries/delivery.table.js';
import type { CaughtMailTable } from '../../server/mail/caught-mail.table.js';
import type { AgencyCertificateTable } from '../../server/signatures/certificate.table.js';
import type { DossierFileDigitisationTable } from '../../server/digitisation/digitisation.table.js';
import type { PostalOrderTable } from '../../server/postal/postal.table.js';
import type { SsoIdentityTable, SsoLoginTable } from '../../server/sso/sso.table.js';
import type { ProcedureQuestionTable } from '../../server/questions/question.table.js';
import type { DossierConversationTable, DossierMessageAttachmentTable, DossierMessageReadTable, DossierMessageTable } from '../../server/messages/message.table.js';

/** The one database: the process core's tables and the server's (accounts, catalogue, dossiers). */
export interface Database {
  process_definition: DefinitionTable;
  process_instance: InstanceTable;
  instance_version: InstanceVersionTable;
  task: TaskTable;
  history_event: HistoryEventTable;
  job: JobTable;
  outbox_message: OutboxMessageTable;
  calendar_day: CalendarDayTable;
  agency: AgencyTable;
  app_user: UserTable;
  user_role: UserRoleTable;
  refresh_token: RefreshTokenTable;
  server_secret: ServerSecretTable;
  field: FieldTable;
  procedure: ProcedureTable;
  procedure_component: ProcedureComponentTable;
  procedure_form: ProcedureFormTable;
  dossier: DossierTable;
  file_blob: FileBlobTable;
  dossier_file: DossierFileTable;
  dossier_code_sequence: DossierCodeSequenceTable;
  dossier_rating: DossierRatingTable;
  payment: PaymentTable;
  payment_attempt: PaymentAttemptTable;
  payment_receipt_sequence: PaymentReceiptSequenceTable;
  delivery: DeliveryTable;
  caught_mail: CaughtMailTable;
  agency_certificate: AgencyCertificateTable;
  dossier_file_digitisation: DossierFileDigitisationTable;
  postal_order: PostalOrderTable;
  sso_identity: SsoIdentityTable;
  sso_login: SsoLoginTable;
  procedure_question: ProcedureQuestionTable;
  dossier_message: DossierMessageTable;
  dossier_message_attachment: DossierMessageAttachmentTable;
  dossier_message_read: DossierMessageReadTable;
  dossier_conversation: DossierConversationTable;
}

export type Db = Kysely<Database>;

export interface DatabaseConfig {
  /** A PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` for a throw-away database. */
  pgliteDataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Told when an idle pooled connection fails (server restart, admin kill); the pool replaces it. */
  onConnectionError?: (err: Error) => void;
}

export function createDb(config: DatabaseConfig): Db {
  return new Kysely<Database>({ dialect: createDialect(config) });
}

function createDialect(config: DatabaseConfig): Dialect {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize ?? 10 });
    // Without a listener, an idle connection's error would be thrown and end the process.
    pool.on('error', config.onConnectionError ?? ((err) => process.stderr.write(`database connection lost: ${err.message}\n`)));
    return new PostgresDialect({ pool });
  }
  // PGlite is one connection in WASM; the dialect queues callers, so a transaction holds it exclusively.
  const dataDir = config.pgliteDataDir ?? 'memory://';
  if (!dataDir.includes('://')) mkdirSync(dirname(dataDir), { recursive: true });
  // pg_trgm: typo-tolerant catalogue search, as on a PostgreSQL server.
  return new PGliteDialect(new PGlite(dataDir, { extensions: { pg_trgm } }));
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDataDir: env.PGLITE_DATA_DIR || './data/pglite',
    poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined,
  };
}
