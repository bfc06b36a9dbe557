import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../engine/db/database.js';
import type { PaymentConfig, ServerConfig } from '../config.js';
import { sandboxUrls, startPaymentSandbox, type PaymentSandbox } from '../payment-sandbox/sandbox.js';
import { sharedSecret } from '../accounts/account.repository.js';
import { reachableHost, unlessPortTaken } from '../demo-peers/http.js';
import { defaultQueryUrl } from './gateway.js';
import { DEFAULT_PAYMENT_SETTINGS, type PaymentSettings } from './payment.service.js';
import { startPaymentReconciler } from './reconcile.js';

/**
 * The payment settings of a server from its configuration: the configured gateway; or, in demo mode without
 * one, the sandbox gateway on `sandboxPort` (merchant DVCDEMO, its secret kept in the database so that every
 * server and restart of the demo agrees on it) calling back `ipnUrl` — started here, or the one another server
 * of the demo runs there; or else no online payment (counter only).
 */
export async function paymentsFromConfig(
  db: Db,
  config: PaymentConfig,
  options: { demo: boolean; host: string; ipnUrl: string },
): Promise<{ settings: PaymentSettings; sandbox: PaymentSandbox | null }> {
  const timing = { reconcileAfterMs: config.reconcileAfterMinutes * 60_000, checkoutTtlMs: DEFAULT_PAYMENT_SETTINGS.checkoutTtlMs };
  if (config.gatewayUrl) {
    if (!config.merchantCode || !config.secret) throw new Error('PAYMENT_GATEWAY_URL needs PAYMENT_MERCHANT_CODE and PAYMENT_SECRET');
    const gateway = { payUrl: config.gatewayUrl, queryUrl: config.queryUrl ?? defaultQueryUrl(config.gatewayUrl), merchantCode: config.merchantCode, secret: config.secret };
    return { settings: { ...timing, gateway }, sandbox: null };
  }
  if (!options.demo) return { settings: { ...timing, gateway: null }, sandbox: null };
  const merchant = { code: config.merchantCode ?? 'DVCDEMO', secret: config.secret ?? (await sharedSecret(db, 'payment-demo')), ipnUrl: options.ipnUrl };
  const sandbox = await unlessPortTaken(() => startPaymentSandbox({ port: config.sandboxPort, host: options.host, merchants: [merchant] }));
  const { payUrl, queryUrl } = sandbox ?? sandboxUrls(`http://${reachableHost(options.host)}:${config.sandboxPort}`);
  return { settings: { ...timing, gateway: { payUrl, queryUrl, merchantCode: merchant.code, secret: merchant.secret } }, sandbox };
}

/** `main.ts`'s part: the settings for the app, then the reconciler; `stop` ends both it and the sandbox. */
export async function setUpPayments(db: Db, config: ServerConfig) {
  const { settings, sandbox } = await paymentsFromConfig(db, config.payment, {
    demo: config.seedDemo,
    host: config.host,
    ipnUrl: `http://${reachableHost(config.host)}:${config.port}/api/payments/callback`,
  });
  return {
    settings,
    start(db: Db, log: FastifyBaseLogger) {
      if (sandbox) log.info({ payUrl: sandbox.payUrl }, 'payment sandbox gateway (demo: no real money)');
      else if (settings.gateway && config.seedDemo && !config.payment.gatewayUrl) log.warn({ payUrl: settings.gateway.payUrl }, 'port in use: paying through the sandbox gateway already listening there');
      const stopReconciler = startPaymentReconciler(db, settings, {
        intervalMs: config.payment.reconcileIntervalMs,
        onError: (err) => log.warn({ err }, 'payment reconciliation'),
      });
      return async () => {
        await stopReconciler();
        await sandbox?.close();
      };
    },
  };
}
