import type { Db } from '../../engine/db/database.js';
import type { ServerConfig } from '../config.js';
import { sharedSecret } from '../accounts/account.repository.js';
import { reachableHost, unlessPortTaken } from '../demo-peers/http.js';
import { startPortalIdentityProvider } from '../sso-provider/sso-provider.js';
import { DEFAULT_SSO_TIMING, type SsoSettings } from './sso.service.js';

/** The client the demo's identity provider knows this system by. */
export const DEMO_CLIENT_ID = 'dvc-demo';

/**
 * The single sign-on settings of a server from its configuration: the configured provider; or, in demo mode
 * without one, the local stand-in of the national portal's identity provider, started on `demoPort` — or the one
 * another server of the demo already runs there (the client secret is kept in the database, so it is the same
 * for every server); or else none (the login page offers the password only). `close` stops a stand-in started here.
 */
export async function setUpSso(db: Db, config: ServerConfig): Promise<{ settings: SsoSettings | null; demo: { issuer: string; reused: boolean } | null; close(): Promise<void> }> {
  const { sso } = config;
  const redirectUrl = sso.redirectUrl ?? new URL('/api/auth/sso/callback', config.publicUrl).toString();
  const common = { redirectUrl, scope: sso.scope, idNumberClaim: sso.idNumberClaim, ...DEFAULT_SSO_TIMING };
  if (sso.issuerUrl) {
    if (!sso.clientId || !sso.clientSecret) throw new Error('SSO_ISSUER_URL needs SSO_CLIENT_ID and SSO_CLIENT_SECRET');
    return { settings: { ...common, issuer: sso.issuerUrl, clientId: sso.clientId, clientSecret: sso.clientSecret }, demo: null, close: async () => undefined };
  }
  if (!config.seedDemo) return { settings: null, demo: null, close: async () => undefined };

  const clientSecret = await sharedSecret(db, 'sso-demo-client');
  const provider = await unlessPortTaken(() =>
    startPortalIdentityProvider({ port: sso.demoPort, host: config.host, clients: [{ clientId: DEMO_CLIENT_ID, clientSecret, redirectUris: [redirectUrl] }] }),
  );
  const issuer = provider?.issuer ?? `http://${reachableHost(config.host)}:${sso.demoPort}`;
  return {
    settings: { ...common, issuer, clientId: DEMO_CLIENT_ID, clientSecret },
    demo: { issuer, reused: provider === null },
    close: async () => provider?.close(),
  };
}
