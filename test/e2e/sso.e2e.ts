import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Journey } from './harness.js';

const SSO_BUTTON = 'Đăng nhập bằng tài khoản Cổng DVC quốc gia';

/** On the demo identity provider's page (the national portal's stand-in): picks the person, or cancels. */
async function answerPortal(page: Page, person: string | 'cancel') {
  await page.getByRole('heading', { name: /^Đăng nhập bằng tài khoản định danh điện tử/ }).waitFor();
  if (person === 'cancel') return page.getByRole('button', { name: /^Hủy/ }).click();
  await page.getByRole('radio', { name: new RegExp(person) }).check();
  await page.getByRole('button', { name: /^Đăng nhập/ }).click();
}

export const journeys: Journey[] = [
  {
    name: 'sso: the demo citizen logs in through the national portal; a cancelled login explains itself, a new person gets an account',
    async run({ page, baseUrl, screenshot }) {
      await page.goto(`${baseUrl}/login?returnTo=%2Fdossiers`);
      const button = page.getByRole('link', { name: SSO_BUTTON });
      await button.waitFor();
      await screenshot('login-page');
      await button.click();
      assert.match(page.url(), /\/interaction\//, 'the browser is at the identity provider');
      await screenshot('portal-login');
      await answerPortal(page, 'Nguyễn Văn An');
      // Linked by ID number to the demo citizen's account, where they were going.
      await page.getByRole('heading', { name: 'Hồ sơ của tôi' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/dossiers');
      await page.getByRole('banner').getByText('Nguyễn Văn An').waitFor();
      assert.ok(!page.url().includes('code='), 'the one-time code does not stay in the address');
      await page.getByRole('button', { name: 'Đăng xuất' }).click();

      await page.getByRole('link', { name: 'Đăng nhập', exact: true }).click();
      await page.getByRole('link', { name: SSO_BUTTON }).click();
      await answerPortal(page, 'cancel');
      await page.getByRole('heading', { name: 'Không đăng nhập được qua Cổng DVC quốc gia' }).waitFor();
      await page.getByText('Mã lỗi: sso-cancelled').waitFor();
      // Announced: the explanation is an alert, and the page's title names the failure.
      assert.match(await page.title(), /^Không đăng nhập được qua Cổng DVC quốc gia/);
      await screenshot('cancelled');

      await page.getByRole('link', { name: 'Đăng nhập lại qua Cổng DVC quốc gia' }).click();
      await answerPortal(page, 'Lê Thị Hoa');
      await page.getByRole('banner').getByText('Lê Thị Hoa').waitFor();
      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Hồ sơ của tôi' }).click();
      await page.getByText('Bạn chưa có hồ sơ nào.').waitFor();

      // In English, a refusal that needs the desk: what happened, the code, what to do.
      await page.getByRole('button', { name: 'English' }).click();
      await page.goto(`${baseUrl}/login/sso?reason=sso-id-number-bound`);
      await page.getByRole('heading', { name: 'Could not log in through the national portal' }).waitFor();
      await page.getByText('Reason code: sso-id-number-bound').waitFor();
      await page.getByRole('link', { name: 'Log in with a password' }).waitFor();
      await page.getByText(/contact the reception and result desk/).waitFor();
      await screenshot('bound-english');
    },
  },
];
