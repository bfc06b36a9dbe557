import nodemailer from 'nodemailer';
import { PermanentDeliveryError } from '../deliveries/permanent-error.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable per delivery: a receiver keeps a message sent twice (a retried delivery) once. */
  messageId: string;
}

export interface MailSender {
  /** The sender's domain, for Message-IDs. */
  readonly domain: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Sends over SMTP (`smtp://user:pass@host:port`, `smtps://…`) from `from` ("Name <address>"). */
export function smtpSender(smtpUrl: string, from: string): MailSender {
  // Short timeouts: the delivery's lease must outlast a send, and a silent peer is retried later anyway.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'dvc.localhost';
  return {
    domain,
    async send(mail) {
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
      } catch (err) {
        // 5xx: the server will answer the same next time (unknown mailbox, rejected content).
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new PermanentDeliveryError(`SMTP ${code}: ${(err as Error).message}`);
        throw err;
      }
    },
    close: () => transport.close(),
  };
}
