import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Db } from '../../engine/db/database.js';
import { storeCaughtMail } from './caught-mail.repository.js';

export interface MailCatcher {
  port: number;
  /** `smtp://host:port` for the sender. */
  url: string;
  close(): Promise<void>;
}

/** Largest message the catcher accepts (notifications are a few kilobytes). */
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

/**
 * A local SMTP server for the demo (and the tests): every message it accepts is parsed and stored in
 * `caught_mail`, where the admin's mail page lists it. It answers 250 only once the message is stored, so a
 * message is either kept or refused and sent again by the delivery worker. Listens on loopback only; no TLS or
 * authentication, as nothing but this system talks to it.
 */
export async function startMailCatcher(db: Db, options: { port: number; host?: string; onError?: (err: unknown) => void }): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          if (stream.sizeExceeded) throw Object.assign(new Error('message too large'), { responseCode: 552 });
          const text = parsed.text ?? '';
          await storeCaughtMail(db, {
            message_id: parsed.messageId ?? `<${randomUUID()}@catcher>`,
            mail_from: parsed.from?.text ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : ''),
            recipients: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text_body: text,
            html_body: typeof parsed.html === 'string' ? parsed.html : null,
            size: stream.byteLength,
          });
          callback();
        })
        .catch((err: Error & { responseCode?: number }) => {
          if (err.responseCode) return callback(err);
          options.onError?.(err);
          // 451: a temporary local failure, so the sender keeps the message and tries again.
          callback(Object.assign(new Error('could not store the message, try again later'), { responseCode: 451 }));
        });
    },
  });
  server.on('error', (err) => options.onError?.(err));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
