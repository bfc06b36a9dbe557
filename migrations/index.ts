import type { Migration, MigrationProvider } from 'kysely';
import * as processCore from './0001_process_core.js';
import * as accounts from './0002_accounts.js';
import * as catalogue from './0003_catalogue.js';
import * as dossiers from './0004_dossiers.js';
import * as ratings from './0005_ratings.js';
import * as counterFormsClock from './0006_counter_forms_clock.js';
import * as queryIndexes from './0007_query_indexes.js';
import * as deliveries from './0008_deliveries.js';
import * as payments from './0009_payments.js';
import * as agencyCertificates from './0010_agency_certificates.js';
import * as postal from './0011_postal.js';
import * as singleSignOn from './0012_single_sign_on.js';
import * as dossierMessages from './0013_dossier_messages.js';
import * as procedureQuestions from './0014_procedure_questions.js';
import * as digitisation from './0015_digitisation.js';
import * as interAgency from './0016_inter_agency.js';
import * as rescheduledAppointment from './0017_rescheduled_appointment.js';

// Listed statically so the same set runs from tsx, the test runner and a bundled server.
const migrations: Record<string, Migration> = {
  '0001_process_core': processCore,
  '0002_accounts': accounts,
  '0003_catalogue': catalogue,
  '0004_dossiers': dossiers,
  '0005_ratings': ratings,
  '0006_counter_forms_clock': counterFormsClock,
  '0007_query_indexes': queryIndexes,
  '0008_deliveries': deliveries,
  '0009_payments': payments,
  '0010_agency_certificates': agencyCertificates,
  '0011_postal': postal,
  '0012_single_sign_on': singleSignOn,
  '0013_dossier_messages': dossierMessages,
  '0014_procedure_questions': procedureQuestions,
  '0015_digitisation': digitisation,
  '0016_inter_agency': interAgency,
  '0017_rescheduled_appointment': rescheduledAppointment,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
