import { describe, expect, test } from 'vitest';
import { createApiClient } from '../../web/src/lib/api/client.js';
import { ApiError, networkError } from '../../web/src/lib/api/problem.js';
import { SSO_REASONS, ssoReason, ssoReasonOfError, ssoStartHref } from '../../web/src/lib/sso.js';

const problemError = (status: number, code: string) => new ApiError({ type: `/problems/${code}`, title: code, status, detail: code, messageVi: code, messageEn: code });

describe('login through the national portal (web side)', () => {
  test('the failure page explains known reasons; anything else reads as a system error', () => {
    expect(ssoReason('sso-id-number-bound')).toBe('sso-id-number-bound');
    for (const odd of [null, '', 'constructor', '__proto__', 'sso-unknown']) expect(ssoReason(odd)).toBe('sso-internal');
    // Every reason says what to do next.
    for (const { steps } of Object.values(SSO_REASONS)) expect(steps.length).toBeGreaterThan(0);
  });

  test('a failed exchange of the one-time code maps to the reason shown', () => {
    expect(ssoReasonOfError(problemError(401, 'sso-login-code-invalid'))).toBe('sso-login-code-invalid');
    expect(ssoReasonOfError(problemError(403, 'account-locked'))).toBe('sso-account-locked');
    expect(ssoReasonOfError(problemError(429, 'rate-limited'))).toBe('sso-rate-limited');
    expect(ssoReasonOfError(networkError())).toBe('sso-internal');
    expect(ssoReasonOfError(new Error('x'))).toBe('sso-internal');
  });

  test('the start carries where the citizen was going', () => {
    expect(ssoStartHref('/dossiers?page=2')).toBe('/api/auth/sso/start?returnTo=%2Fdossiers%3Fpage%3D2');
  });

  test('the client exchanges the code for a session and answers where to go next', async () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', kind: 'citizen', name: 'Lê Thị Hoa', roles: [] })).toString('base64url');
    let stored: string | null = null;
    const sent: unknown[] = [];
    const client = createApiClient({
      refreshTokens: { get: () => stored, set: (token) => (stored = token) },
      fetch: async (_path, init) => {
        sent.push(JSON.parse(String(init?.body)));
        return new Response(JSON.stringify({ accessToken: `h.${payload}.s`, refreshToken: 'r-1', tokenType: 'Bearer', expiresIn: 900, returnTo: '/dossiers' }), { status: 200 });
      },
    });
    expect(await client.completeSso('one-time-code-0123456789')).toBe('/dossiers');
    expect(sent).toEqual([{ code: 'one-time-code-0123456789' }]);
    expect(client.user?.fullName).toBe('Lê Thị Hoa');
    expect(stored).toBe('r-1');
  });
});
