import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LocalDate, problems } from '../schemas.js';
import { DateTime } from '../dossiers/dossier.routes.js';
import type { FastifyReply } from 'fastify';
import { agencySummary, RATE_COLUMNS, SUMMARY_COLUMNS, summaryCsv, summaryXlsx, type SummaryCounts } from './report.service.js';

const Counts = Type.Unsafe<SummaryCounts>(
  Type.Object(
    Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c.key, RATE_COLUMNS.has(c.key) ? Type.Union([Type.Number(), Type.Null()]) : Type.Integer({ description: c.vi })])),
    { additionalProperties: false },
  ),
);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Statistics (form 06a): auditors and admins for every agency, leaders for their own. */
const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/reports/agency-summary',
    {
      onRequest: [app.requireRole('auditor', 'admin', 'agency-leader', 'dept-leader')],
      schema: {
        tags: ['reports'],
        security: [{ bearer: [] }],
        summary: 'Báo cáo tình hình giải quyết TTHC theo cơ quan — agency summary (json, csv or xlsx)',
        querystring: Type.Object(
          {
            agency: Type.Optional(Type.String({ maxLength: 50 })),
            from: LocalDate,
            to: LocalDate,
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], { default: 'json' })),
          },
          { additionalProperties: false },
        ),
        produces: ['application/json', 'text/csv', XLSX],
        response: {
          200: Type.Object(
            {
              from: Type.String(),
              to: Type.String(),
              generatedAt: DateTime,
              rows: Type.Array(Type.Intersect([Type.Object({ agency: Type.Object({ code: Type.String(), name: Type.String() }) }), Counts])),
              total: Counts,
              columns: Type.Array(Type.Object({ key: Type.String(), vi: Type.String(), en: Type.String() })),
            },
          ),
          ...problems(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const { format = 'json', ...query } = request.query;
      const report = await agencySummary(app.db, request.user, query);
      const fileName = `bao-cao-06a_${query.agency ?? 'tat-ca'}_${query.from}_${query.to}`;
      // Downloads bypass the JSON response schema: the untyped reply sends their bytes as they are.
      const download = (type: string, extension: string, body: string | Buffer) =>
        (reply as FastifyReply).type(type).header('content-disposition', `attachment; filename="${fileName}.${extension}"`).send(body);
      if (format === 'csv') return download('text/csv; charset=utf-8', 'csv', summaryCsv(report));
      if (format === 'xlsx') return download(XLSX, 'xlsx', await summaryXlsx(report));
      return { ...report, columns: SUMMARY_COLUMNS };
    },
  );
};

export default reportRoutes;
