import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../schemas.js';
import { DateTime, Nullable, Uuid } from '../dossiers/dossier.routes.js';
import { definitionHeatmap, definitionSource, deploy, listDefinitions } from '../../engine/process-core.js';

const MAX_BPMN_BYTES = 2 * 1024 * 1024;

const Definition = Type.Object(
  {
    id: Uuid,
    key: Type.String(),
    version: Type.Integer(),
    name: Nullable(Type.String()),
    procedureCode: Nullable(Type.String()),
    sha256: Type.String(),
    deployedBy: Type.String(),
    deployedAt: DateTime,
  },
  { additionalProperties: false },
);

const Deployed = Type.Object({ ...Definition.properties, created: Type.Boolean() }, { additionalProperties: false });

/** Admins deploy BPMN diagrams as new immutable versions; the deploy-time lint answers every problem at once. */
const processDefinitionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser(['application/xml', 'text/xml', 'application/bpmn+xml'], { parseAs: 'string', bodyLimit: MAX_BPMN_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/process-definitions',
    {
      onRequest: [app.requireRole('admin')],
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Triển khai quy trình BPMN — deploy a diagram as the next version of its process',
        consumes: ['application/xml'],
        body: Type.String({ minLength: 1, maxLength: MAX_BPMN_BYTES, description: 'BPMN 2.0 XML with the dvc extension' }),
        response: { 201: Deployed, 200: Deployed, ...problems(400, 401, 403, 415, 422) },
      },
    },
    async (request, reply) => {
      const result = await deploy(app.db, request.body, request.user.id);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/process-definitions',
    {
      onRequest: [app.requireRole('admin', 'auditor')],
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Các phiên bản quy trình — deployed versions, newest first per process',
        querystring: Type.Object({ key: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Definition), ...problems(400, 401, 403) },
      },
    },
    async (request) => listDefinitions(app.db, request.query.key),
  );

  const readers = { onRequest: [app.requireRole('admin', 'auditor')] };
  const params = Type.Object({ id: Uuid }, { additionalProperties: false });

  app.get(
    '/api/process-definitions/:id',
    {
      ...readers,
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Một phiên bản quy trình với sơ đồ BPMN — a version with its XML (designer, diff, replay)',
        params,
        response: { 200: Type.Object({ ...Definition.properties, xml: Type.String() }, { additionalProperties: false }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => definitionSource(app.db, request.params.id),
  );

  app.get(
    '/api/process-definitions/:id/heatmap',
    {
      ...readers,
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        summary: 'Bản đồ nhiệt — dossiers per element, average time spent, waiting now, flows taken',
        params,
        response: {
          200: Type.Object(
            {
              elements: Type.Array(
                Type.Object(
                  { elementId: Type.String(), instances: Type.Integer(), visits: Type.Integer(), waiting: Type.Integer(), avgDurationMs: Nullable(Type.Integer()) },
                  { additionalProperties: false },
                ),
              ),
              flows: Type.Array(Type.Object({ flowId: Type.String(), taken: Type.Integer() }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request) => definitionHeatmap(app.db, request.params.id),
  );
};

export default processDefinitionRoutes;
