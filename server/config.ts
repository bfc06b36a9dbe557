import { databaseConfigFromEnv, type DatabaseConfig } from '../engine/db/database.js';

/** Every setting the server reads, with its default; the README's configuration table lists the same. */
export interface ServerConfig {
  host: string;
  port: number;
  logLevel: string;
  database: DatabaseConfig;
  /** How often the job scheduler polls for due timers and deadlines. */
  schedulerIntervalMs: number;
  /** Whether boot deploys the diagrams in processes/ (idempotent: an unchanged file is not a new version). */
  deployBundledProcesses: boolean;
  /** Whether boot loads the demo catalogue and accounts into an empty database and prints the demo logins. */
  seedDemo: boolean;
  /** Access-token signing secret; unset, one is generated once and kept in the database for every server. */
  jwtSecret: string | undefined;
  /** Multiplies every per-route rate limit (login 10/min, registration 5/min, lookup 20/min…); tests raise it. */
  rateLimitScale: number;
  /** SMTP server for the applicants' notifications (`smtp://user:pass@host:587`); unset in demo mode: the local catcher. */
  smtpUrl: string | undefined;
  /** Sender of the notifications, "Name <address>". */
  mailFrom: string;
  /** Port of the demo's local SMTP catcher (SMTP_URL unset, SEED_DEMO on). */
  smtpCatcherPort: number;
  /** The national portal's sync endpoint; unset in demo mode: the local mock portal. */
  portalSyncUrl: string | undefined;
  /** HMAC-SHA256 key signing each sync request; required with PORTAL_SYNC_URL. */
  portalSyncSecret: string | undefined;
  /** Port of the demo's mock national portal (PORTAL_SYNC_URL unset, SEED_DEMO on). */
  portalMockPort: number;
  /** The post office's order API (VNPost-style); unset in demo mode: the local mock post office. */
  postalUrl: string | undefined;
  /** HMAC-SHA256 key shared with the post office: signs our orders and its state reports; required with POSTAL_URL. */
  postalSecret: string | undefined;
  /** Port of the demo's mock post office (POSTAL_URL unset, SEED_DEMO on). */
  postalMockPort: number;
  /** The partner agency's inter-agency API (liên thông: police, social insurance); unset in demo mode: the local mock partner. */
  partnerUrl: string | undefined;
  /** HMAC-SHA256 key shared with the partner agency: signs our requests and its results; required with PARTNER_URL. */
  partnerSecret: string | undefined;
  /** Port of the demo's mock partner agency (PARTNER_URL unset, SEED_DEMO on). */
  partnerMockPort: number;
  /** How often the delivery worker polls for due emails and sync messages. */
  deliveryIntervalMs: number;
  /** Attempts before a delivery is given up (kept as failed, with its last error). */
  deliveryMaxAttempts: number;
  /** Wait after a delivery's first failure; doubles with each further one (capped at an hour). */
  deliveryBackoffMs: number;
  /** Where citizens reach the portal: the receipt's QR code links to its lookup page. */
  publicUrl: string;
  /** Key that seals the agencies' certificate passwords; unset, one is generated once and kept in the database. */
  signingSecret: string | undefined;
  /** The payment gateway (VNPay protocol); `gatewayUrl` unset: the demo's sandbox gateway on `sandboxPort`. */
  payment: PaymentConfig;
  /** Login through the national portal (OpenID Connect); `issuerUrl` unset: the demo's stand-in on `demoPort`. */
  sso: SsoConfig;
}

export interface SsoConfig {
  /** The identity provider's issuer, e.g. the national portal's SSO; https (plain http on loopback only). */
  issuerUrl: string | undefined;
  /** The client registered at the provider; required with SSO_ISSUER_URL. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Our callback as registered at the provider; unset: PUBLIC_URL/api/auth/sso/callback. */
  redirectUrl: string | undefined;
  /** The scopes asked for, and the claim among them that carries the citizen's ID number. */
  scope: string;
  idNumberClaim: string;
  /** Port of the demo's identity provider (SSO_ISSUER_URL unset, SEED_DEMO on). */
  demoPort: number;
}

export interface PaymentConfig {
  /** The gateway's payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html */
  gatewayUrl: string | undefined;
  /** The gateway's transaction query API; unset: /merchant_webapi/api/transaction on the gateway's host. */
  queryUrl: string | undefined;
  /** Merchant code (vnp_TmnCode) and HMAC-SHA512 secret; required with PAYMENT_GATEWAY_URL. */
  merchantCode: string | undefined;
  secret: string | undefined;
  sandboxPort: number;
  /** Age of an unreported checkout before reconciliation asks the gateway about it. */
  reconcileAfterMinutes: number;
  /** How often reconciliation looks for such checkouts. */
  reconcileIntervalMs: number;
}

export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:3000';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
    database: databaseConfigFromEnv(env),
    schedulerIntervalMs: Number(env.SCHEDULER_INTERVAL_MS ?? 1000),
    deployBundledProcesses: (env.DEPLOY_BUNDLED_PROCESSES ?? 'true') !== 'false',
    seedDemo: (env.SEED_DEMO ?? 'true') !== 'false',
    jwtSecret: env.JWT_SECRET || undefined,
    rateLimitScale: Number(env.RATE_LIMIT_SCALE ?? 1),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Cổng Dịch vụ công <no-reply@dvc.localhost>',
    smtpCatcherPort: Number(env.SMTP_CATCHER_PORT ?? 2525),
    portalSyncUrl: env.PORTAL_SYNC_URL || undefined,
    portalSyncSecret: env.PORTAL_SYNC_SECRET || undefined,
    portalMockPort: Number(env.PORTAL_MOCK_PORT ?? 3100),
    postalUrl: env.POSTAL_URL || undefined,
    postalSecret: env.POSTAL_SECRET || undefined,
    postalMockPort: Number(env.POSTAL_MOCK_PORT ?? 3400),
    partnerUrl: env.PARTNER_URL || undefined,
    partnerSecret: env.PARTNER_SECRET || undefined,
    partnerMockPort: Number(env.PARTNER_MOCK_PORT ?? 3500),
    deliveryIntervalMs: Number(env.DELIVERY_INTERVAL_MS ?? 1000),
    deliveryMaxAttempts: Number(env.DELIVERY_MAX_ATTEMPTS ?? 8),
    deliveryBackoffMs: Number(env.DELIVERY_BACKOFF_MS ?? 30_000),
    publicUrl: env.PUBLIC_URL || DEFAULT_PUBLIC_URL,
    signingSecret: env.SIGNING_SECRET || undefined,
    payment: {
      gatewayUrl: env.PAYMENT_GATEWAY_URL || undefined,
      queryUrl: env.PAYMENT_QUERY_URL || undefined,
      merchantCode: env.PAYMENT_MERCHANT_CODE || undefined,
      secret: env.PAYMENT_SECRET || undefined,
      sandboxPort: Number(env.PAYMENT_SANDBOX_PORT ?? 3200),
      reconcileAfterMinutes: Number(env.PAYMENT_RECONCILE_AFTER_MINUTES ?? 15),
      reconcileIntervalMs: Number(env.PAYMENT_RECONCILE_INTERVAL_MS ?? 60_000),
    },
    sso: {
      issuerUrl: env.SSO_ISSUER_URL || undefined,
      clientId: env.SSO_CLIENT_ID || undefined,
      clientSecret: env.SSO_CLIENT_SECRET || undefined,
      redirectUrl: env.SSO_REDIRECT_URL || undefined,
      scope: env.SSO_SCOPE || 'openid profile email phone id_number',
      idNumberClaim: env.SSO_ID_NUMBER_CLAIM || 'id_number',
      demoPort: Number(env.SSO_DEMO_PORT ?? 3300),
    },
  };
}
