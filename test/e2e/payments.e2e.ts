import assert from 'node:assert/strict';
import type { Journey, JourneyContext } from './harness.js';
import { actThroughApi, apiLogin, login, uploadPdf } from './officer.e2e.js';

/**
 * The fee and the result, as the applicant meets them: the fee paid online through the payment gateway (the demo's
 * sandbox) with its e-receipt, the digitally signed result with its verified signature, and that result attached
 * to a later dossier from the document wallet.
 */

const AGENCY = 'H20.24.16';
const CERTIFICATION = { documentName: 'Bằng tốt nghiệp đại học', copies: 2 };

/** A certification dossier (CT01) of the demo citizen: a draft with its form, and with its paper when `withFile`. */
async function certificationDraft(ctx: JourneyContext, token: string, withFile: boolean) {
  const draft = await ctx.api<{ id: string }>('POST', '/api/dossiers', { token, body: { procedureCode: 'CT01' } });
  assert.equal((await ctx.api('PUT', `/api/dossiers/${draft.body.id}/form`, { token, body: { data: CERTIFICATION } })).status, 200);
  if (withFile) await uploadPdf(ctx, token, `/api/dossiers/${draft.body.id}/files`, 'TP01', 'bang-tot-nghiep.pdf');
  return draft.body.id;
}

/** The commune's staff, each taking the action on their open task of the dossier through the API. */
async function staff(ctx: JourneyContext) {
  const tokens = new Map<string, string>();
  const tokenOf = async (role: string) => {
    if (!tokens.has(role)) tokens.set(role, await apiLogin(ctx, ctx.account(`${role} @ ${AGENCY}`)));
    return tokens.get(role)!;
  };
  return {
    tokenOf,
    act: async (role: string, code: string, actionCode: string, extra: Record<string, unknown> = {}) =>
      actThroughApi(ctx, await tokenOf(role), code, actionCode, { note: `${actionCode} (${role})`, ...extra }),
  };
}

async function nationalStatus(ctx: JourneyContext, token: string, dossierId: string, expected: number) {
  for (let i = 0; i < 40; i++) {
    const dossier = await ctx.api<{ nationalStatus: number }>('GET', `/api/dossiers/${dossierId}`, { token });
    if (dossier.body.nationalStatus === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`dossier ${dossierId} did not reach status ${expected}`);
}

export const journeys: Journey[] = [
  {
    name: 'citizen pays the fee online and gets the signed result, then reuses it from the document wallet',
    async run(ctx) {
      const { page, screenshot } = ctx;
      const citizen = ctx.account('citizen');
      const citizenToken = await apiLogin(ctx, citizen);
      const dossierId = await certificationDraft(ctx, citizenToken, true);
      const submitted = await ctx.api<{ code: string }>('POST', `/api/dossiers/${dossierId}/submit`, { token: citizenToken, body: { declarationAccepted: true } });
      assert.equal(submitted.status, 200);
      const { code } = submitted.body;
      const commune = await staff(ctx);
      const handler = (await ctx.api<{ id: string }[]>('GET', '/api/staff?role=handler', { token: await commune.tokenOf('dept-leader') })).body[0]!;
      await commune.act('one-stop-officer', code, '1100');
      await commune.act('one-stop-officer', code, '2000');
      await commune.act('dept-leader', code, '2101', { assignee: handler.id });
      await commune.act('handler', code, '5300', { note: 'Đề nghị nộp lệ phí chứng thực' });

      // The fee request on the dossier page; paid at the gateway, back on the portal's return page.
      await page.goto(`${ctx.baseUrl}/dossiers/${dossierId}`);
      await login(page, citizen);
      const request = page.getByRole('region', { name: 'Yêu cầu nộp phí, lệ phí' });
      await request.getByText('2.000 ₫').first().waitFor();
      await screenshot('fee-requested');
      await request.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
      await page.getByRole('button', { name: /^Thanh toán/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Kết quả thanh toán' }).waitFor();
      await page.getByText('Thanh toán thành công').waitFor();
      await screenshot('payment-return');

      // The gateway's confirmation moved the dossier back to handling; the e-receipt is on the dossier page.
      await nationalStatus(ctx, citizenToken, dossierId, 4);
      await page.getByRole('link', { name: `Xem hồ sơ ${code}` }).click();
      const paid = page.getByRole('region', { name: 'Phí, lệ phí đã nộp' });
      const [receipt] = await Promise.all([page.waitForEvent('download'), paid.getByRole('button', { name: 'Tải biên lai điện tử' }).click()]);
      assert.match(receipt.suggestedFilename(), /\.pdf$/);

      // The result: drafted by the handler, signed by the commune's chairman at 3200, issued and returned.
      await uploadPdf(ctx, await commune.tokenOf('handler'), `/api/staff/dossiers/${dossierId}/files`, 'KQ01', 'ban-sao-chung-thuc.pdf');
      await commune.act('handler', code, '2600');
      await commune.act('dept-leader', code, '3100');
      await commune.act('agency-leader', code, '3200');
      await commune.act('clerk', code, '3300');
      await commune.act('one-stop-officer', code, '4000');
      await nationalStatus(ctx, citizenToken, dossierId, 10);
      await page.reload();
      const results = page.getByRole('region', { name: 'Kết quả giải quyết' });
      await results.getByText(/Đã ký số bởi Ủy ban nhân dân phường Cẩm Thành lúc /).waitFor();
      await screenshot('signed-result');

      // A later dossier takes that result from the wallet instead of a new upload.
      const laterId = await certificationDraft(ctx, citizenToken, false);
      await page.goto(`${ctx.baseUrl}/dossiers/${laterId}/files`);
      const fromWallet = page.getByLabel('Hoặc dùng giấy tờ đã được cấp trong Kho giấy tờ của bạn (TP01)');
      await fromWallet.selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Đính kèm (TP01)' }).click();
      await page.getByText('ban-sao-chung-thuc.pdf').first().waitFor();
      await screenshot('wallet-attached');
      const later = await ctx.api<{ files: { componentCode: string; originalName: string }[] }>('GET', `/api/dossiers/${laterId}`, { token: citizenToken });
      assert.deepEqual(later.body.files.map((f) => [f.componentCode, f.originalName]), [['TP01', 'ban-sao-chung-thuc.pdf']]);
    },
  },
];
