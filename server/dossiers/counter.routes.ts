import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { PersonFields } from '../accounts/account.routes.js';
import * as dossiers from './dossier.service.js';
import { DossierDetail, DossierSummary, draftRoutes } from './dossier.routes.js';

/**
 * Counter reception (tiếp nhận trực tiếp): a one-stop officer opens a dossier for an applicant at the desk, fills
 * the eForm, scans the papers and submits; submission assigns the code and PIN and receives the dossier at once.
 */
const counterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const officer = { onRequest: [app.requireRole('one-stop-officer')] };
  const tags = ['counter'];
  const security = [{ bearer: [] }];
  draftRoutes(app, '/api/counter/dossiers', officer, tags);

  app.post(
    '/api/counter/dossiers',
    {
      ...officer,
      schema: {
        tags,
        security,
        summary: 'Tiếp nhận hồ sơ trực tiếp — open a dossier for an applicant at the counter',
        body: Type.Object(
          {
            procedureCode: Type.String({ minLength: 1, maxLength: 50 }),
            applicant: Type.Object(
              { fullName: PersonFields.fullName, idNumber: PersonFields.idNumber, phone: Type.Optional(PersonFields.phone), email: Type.Optional(PersonFields.email) },
              { additionalProperties: false },
            ),
            form: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 201: DossierDetail, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await dossiers.createCounterDraft(app.db, request.user, request.body)),
  );

  app.get(
    '/api/counter/dossiers',
    {
      ...officer,
      schema: {
        tags,
        security,
        summary: 'Hồ sơ đang tiếp nhận tại quầy — counter drafts of my agencies',
        response: { 200: Type.Array(Type.Object({ ...DossierSummary.properties, applicantName: Type.String() }, { additionalProperties: false })), ...problems(401, 403) },
      },
    },
    async (request) => dossiers.counterDrafts(app.db, request.user),
  );
};

export default counterRoutes;
