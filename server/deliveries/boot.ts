import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../engine/db/database.js';
import type { ServerConfig } from '../config.js';
import { smtpSender, type MailSender } from '../mail/mail.sender.js';
import { startMailCatcher, type MailCatcher } from '../mail/mail-catcher.js';
import { PORTAL_SYNC_PATH, startPortalMock, type PortalMock } from '../portal-mock/portal-mock.js';
import { startPostOfficeMock } from '../postal-mock/postal-mock.js';
import { POSTAL_EVENTS_PATH, postOfficeDeliverer } from '../postal/post-office.js';
import { startPartnerMock } from '../partner-mock/partner-mock.js';
import { INTERAGENCY_RESULTS_PATH, partnerDeliverer } from '../inter-agency/partner-agency.js';
import { sharedSecret } from '../accounts/account.repository.js';
import { unlessPortTaken } from '../demo-peers/http.js';
import { emailDeliverer, portalDeliverer, type Deliverer, type Deliverers } from './channels.js';
import { startDeliveryWorker } from './delivery.worker.js';

/**
 * Starts the delivery worker with the configured SMTP server, national portal, post office and partner agency. In
 * demo mode (SEED_DEMO on) an unset SMTP_URL, PORTAL_SYNC_URL, POSTAL_URL or PARTNER_URL is replaced by a local
 * stand-in — the SMTP catcher, the mock portal, the mock post office, the mock partner agency — so the demo shows
 * every message without reaching the outside world. Returns the stop function.
 */
export async function startDeliveries(db: Db, config: ServerConfig, log: FastifyBaseLogger, secrets: PeerSecrets): Promise<() => Promise<void>> {
  const deliverers: Deliverers = {};
  let sender: MailSender | undefined;
  let catcher: MailCatcher | null = null;
  let portal: PortalMock | null = null;

  if (config.smtpUrl) {
    sender = smtpSender(config.smtpUrl, config.mailFrom);
  } else if (config.seedDemo) {
    catcher = await unlessTaken(() => startMailCatcher(db, { port: config.smtpCatcherPort, onError: (err) => log.error({ err }, 'mail catcher') }), log, config.smtpCatcherPort);
    const port = catcher?.port ?? config.smtpCatcherPort;
    sender = smtpSender(`smtp://127.0.0.1:${port}`, config.mailFrom);
    log.info({ port }, 'demo SMTP catcher: notifications are kept in caught_mail (admin → Thư đã gửi)');
  } else {
    log.warn('SMTP_URL is not set: email notifications stay queued until it is');
  }
  if (sender) deliverers.email = emailDeliverer(sender, { publicUrl: config.publicUrl });

  if (config.portalSyncUrl) {
    if (!config.portalSyncSecret) throw new Error('PORTAL_SYNC_SECRET is required with PORTAL_SYNC_URL: every sync request is signed');
    deliverers['portal-sync'] = portalDeliverer({ url: config.portalSyncUrl, secret: config.portalSyncSecret });
  } else if (config.seedDemo) {
    const secret = config.portalSyncSecret ?? (await sharedSecret(db, 'portal-sync-demo'));
    portal = await unlessTaken(() => startPortalMock({ port: config.portalMockPort, secret }), log, config.portalMockPort);
    const url = portal?.url ?? `http://127.0.0.1:${config.portalMockPort}${PORTAL_SYNC_PATH}`;
    deliverers['portal-sync'] = portalDeliverer({ url, secret });
    log.info({ url }, 'demo national portal (mock): GET /__received lists what it was sent');
  } else {
    log.warn('PORTAL_SYNC_URL is not set: national-portal sync messages stay queued until it is');
  }

  const postalCallbackUrl = new URL(POSTAL_EVENTS_PATH, config.publicUrl).toString();
  const postal = await signedPeer(log, {
    url: config.postalUrl,
    secret: secrets.postal,
    mockPort: config.postalMockPort,
    startMock: (port, secret) => startPostOfficeMock({ port, secret }),
    deliverer: (url, secret) => postOfficeDeliverer({ url, secret, callbackUrl: postalCallbackUrl }),
    demoNote: 'demo post office (mock): its page moves each parcel on',
    unsetNote: 'POSTAL_URL is not set: postal orders stay queued until it is',
  });
  if (postal.deliverer) deliverers.postal = postal.deliverer;

  const partnerCallbackUrl = new URL(INTERAGENCY_RESULTS_PATH, config.publicUrl).toString();
  const partner = await signedPeer(log, {
    url: config.partnerUrl,
    secret: secrets.partner,
    mockPort: config.partnerMockPort,
    startMock: (port, secret) => startPartnerMock({ port, secret }),
    deliverer: (url, secret) => partnerDeliverer({ url, secret, callbackUrl: partnerCallbackUrl }),
    demoNote: 'demo partner agency (mock): its page answers each inter-agency request',
    unsetNote: 'PARTNER_URL is not set: inter-agency requests stay queued until it is',
  });
  if (partner.deliverer) deliverers.partner = partner.deliverer;

  const stopWorker = startDeliveryWorker(db, {
    deliverers,
    intervalMs: config.deliveryIntervalMs,
    policy: { maxAttempts: config.deliveryMaxAttempts, backoffMs: config.deliveryBackoffMs },
    onError: (err) => log.error({ err }, 'delivery round failed'),
  });
  return async () => {
    await stopWorker();
    sender?.close();
    await catcher?.close();
    await portal?.close();
    await postal.mock?.close();
    await partner.mock?.close();
  };
}

/** One demo secret for every server of the database, so that any of them can sign for the one mock peer. */

/**
 * The key shared with a peer that signs our requests and its reports: `<NAME>_SECRET`, required with `<NAME>_URL`;
 * in demo mode without the peer, its mock's. Undefined: no such peer, its reports are refused.
 */
async function resolvePeerSecret(db: Db, seedDemo: boolean, peer: { name: string; url: string | undefined; secret: string | undefined; demoSecretName: string }) {
  if (peer.url && !peer.secret) throw new Error(`${peer.name}_SECRET is required with ${peer.name}_URL: requests and reports are signed`);
  if (peer.secret) return peer.secret;
  return seedDemo ? sharedSecret(db, peer.demoSecretName) : undefined;
}

/** Keys shared with the peers that sign their reports: the routes check them, the deliverers sign with them. */
export interface PeerSecrets {
  /** The post office (it signs our orders and the post's reports). */
  postal: string | undefined;
  /** The partner agency of inter-agency dossiers (it signs our requests and its results). */
  partner: string | undefined;
}

export async function resolvePeerSecrets(db: Db, config: ServerConfig): Promise<PeerSecrets> {
  return {
    postal: await resolvePeerSecret(db, config.seedDemo, { name: 'POSTAL', url: config.postalUrl, secret: config.postalSecret, demoSecretName: 'postal-demo' }),
    partner: await resolvePeerSecret(db, config.seedDemo, { name: 'PARTNER', url: config.partnerUrl, secret: config.partnerSecret, demoSecretName: 'partner-demo' }),
  };
}

/**
 * A peer reached by signed HTTP (the post office, a partner agency): at its URL when configured; else, with a
 * secret (demo mode), a local stand-in on `mockPort`; else none, and what is queued for it waits.
 */
async function signedPeer<M extends { url: string; close(): Promise<void> }>(
  log: FastifyBaseLogger,
  peer: {
    url: string | undefined;
    secret: string | undefined;
    mockPort: number;
    startMock: (port: number, secret: string) => Promise<M>;
    deliverer: (url: string, secret: string) => Deliverer;
    demoNote: string;
    unsetNote: string;
  },
): Promise<{ deliverer?: Deliverer; mock?: M }> {
  const { secret } = peer;
  if (peer.url) return { deliverer: peer.deliverer(peer.url, secret!) };
  if (!secret) {
    log.warn(peer.unsetNote);
    return {};
  }
  const mock = await unlessTaken(() => peer.startMock(peer.mockPort, secret), log, peer.mockPort);
  const url = mock?.url ?? `http://127.0.0.1:${peer.mockPort}`;
  log.info({ url }, peer.demoNote);
  return { deliverer: peer.deliverer(url, secret), ...(mock ? { mock } : {}) };
}

/** Starts a demo stand-in, unless another server of the demo already listens on its port: that one is used. */
async function unlessTaken<T>(start: () => Promise<T>, log: FastifyBaseLogger, port: number): Promise<T | null> {
  const started = await unlessPortTaken(start);
  if (!started) log.warn({ port }, 'port in use: sending to the demo stand-in already listening there');
  return started;
}
