/**
 * Outgoing mail through nodemailer (a well-kept SMTP client). What a message says is its
 * sender's business (test-link invitations in routes/api/invitation.ts); this only delivers it.
 */
// @ts-types="@types/nodemailer"
import nodemailer from "nodemailer";

/** Where mail goes out: `smtp://user:pass@host:port`, and the sender it names. */
export interface SmtpSettings {
  smtpUrl: string;
  mailFrom: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for an HTML mail body or attribute. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Sends one message; rejects with the SMTP client's error when it could not be delivered. */
export async function sendMail(smtp: SmtpSettings, mail: Mail): Promise<void> {
  const transport = nodemailer.createTransport(smtp.smtpUrl);
  try {
    await transport.sendMail({ from: smtp.mailFrom, ...mail });
  } finally {
    transport.close();
  }
}
