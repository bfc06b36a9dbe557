import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LocalDate, problems } from '../schemas.js';
import { HttpProblem } from '../problems.js';
import { calendarDaysOfYear, deleteCalendarDay, upsertCalendarDay } from '../../engine/calendar/calendar.repository.js';
import { STANDARD_PERIODS } from '../../engine/calendar/working-time.js';

const Day = Type.Object(
  { day: LocalDate, kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const DayParams = Type.Object({ day: LocalDate }, { additionalProperties: false });
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The working calendar behind every due date: public holidays and compensatory working days, edited by admins.
 * Each server re-reads it within a minute of an edit.
 */
const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/calendar',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Lịch làm việc — holidays and compensatory working days of a year',
        querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            { year: Type.Integer(), workingHours: Type.Array(Type.String()), days: Type.Array(Day) },
            { additionalProperties: false },
          ),
          ...problems(400),
        },
      },
    },
    async (request) => ({
      year: request.query.year,
      workingHours: STANDARD_PERIODS.map(([from, to]) => `${hhmm(from)}-${hhmm(to)}`),
      days: await calendarDaysOfYear(app.db, request.query.year),
    }),
  );

  app.put(
    '/api/calendar/:day',
    {
      onRequest: [app.requireRole('admin')],
      schema: {
        tags: ['calendar'],
        security: [{ bearer: [] }],
        summary: 'Đặt ngày nghỉ lễ hoặc ngày làm bù — mark a day as holiday or working day',
        params: DayParams,
        body: Type.Object({ kind: Day.properties.kind, name: Day.properties.name }, { additionalProperties: false }),
        response: { 200: Day, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const row = { day: request.params.day, ...request.body };
      await upsertCalendarDay(app.db, row);
      return row;
    },
  );

  app.delete(
    '/api/calendar/:day',
    {
      onRequest: [app.requireRole('admin')],
      schema: {
        tags: ['calendar'],
        security: [{ bearer: [] }],
        summary: 'Bỏ ngày khỏi lịch — back to an ordinary day',
        params: DayParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await deleteCalendarDay(app.db, request.params.day))) {
        throw new HttpProblem(404, 'calendar-day-not-found', { vi: 'Ngày này không có trong lịch', en: 'That day is not in the calendar' });
      }
      return reply.status(204).send(null);
    },
  );
};

export default calendarRoutes;
