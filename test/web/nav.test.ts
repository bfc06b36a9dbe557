import { describe, expect, test } from 'vitest';
import type { SessionUser } from '../../web/src/lib/api/client.js';
import { audiencesOf, loginHref, NAV_ITEMS, routesOf, safeReturnTo, visibleNav } from '../../web/src/lib/nav.js';

const user = (...roles: string[]): SessionUser => ({ id: 'u', kind: 'staff', fullName: 'X', roles: roles.map((role) => ({ role, agencyId: null, agencyCode: null })) });

describe('navigation', () => {
  test('route files name the pages that exist; route groups are no part of the URL', () => {
    expect(routesOf(['/src/routes/+page.svelte', '/src/routes/procedures/+page.svelte', '/src/routes/dossiers/[id]/(wizard)/form/+page.svelte'])).toEqual(
      new Set(['/', '/procedures', '/dossiers/[id]/form']),
    );
  });

  test('each role sees its entries, and only those whose page exists', () => {
    const routes = new Set(['/procedures', '/lookup', '/dossiers', '/tasks']);
    const hrefs = (u: SessionUser | null) => visibleNav(NAV_ITEMS, u, routes).map((i) => i.href);
    expect(hrefs(null)).toEqual(['/procedures', '/lookup']);
    expect(hrefs(user('citizen'))).toEqual(['/procedures', '/lookup', '/dossiers']);
    expect(hrefs(user('handler'))).toEqual(['/procedures', '/lookup', '/tasks']);
    // No admin page yet: no admin link.
    expect(hrefs(user('admin'))).toEqual(['/procedures', '/lookup']);
    expect(audiencesOf(user('auditor', 'clerk'))).toEqual(new Set(['everyone', 'auditor', 'staff']));
  });

  test('an entry for several audiences shows once to anyone in any of them', () => {
    const routes = new Set(['/procedures', '/questions', '/tasks', '/staff/questions', '/admin']);
    const hrefs = (u: SessionUser | null) => visibleNav(NAV_ITEMS, u, routes).map((i) => i.href);
    expect(hrefs(null)).toEqual(['/procedures', '/questions']);
    expect(hrefs(user('handler'))).toEqual(['/procedures', '/questions', '/tasks', '/staff/questions']);
    expect(hrefs(user('admin'))).toEqual(['/procedures', '/questions', '/staff/questions', '/admin']);
    expect(hrefs(user('admin', 'handler'))).toEqual(['/procedures', '/questions', '/tasks', '/staff/questions', '/admin']);
  });

  test('a return URL stays on this site and never leads back to the login page', () => {
    expect(safeReturnTo('/dossiers/1/form?x=1')).toBe('/dossiers/1/form?x=1');
    for (const unsafe of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/login', '/login?returnTo=%2F']) expect(safeReturnTo(unsafe)).toBe('/');
    expect(safeReturnTo('/login/sso?reason=sso-cancelled')).toBe('/');
    expect(safeReturnTo('/loginfo')).toBe('/loginfo');
    expect(loginHref('/procedures/2.000331')).toBe('/login?returnTo=%2Fprocedures%2F2.000331');
    expect(loginHref('/login?returnTo=%2Fdossiers')).toBe('/login?returnTo=%2F');
  });
});
