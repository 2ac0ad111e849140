/**
 * Invitation mail for test links, through nodemailer (a well-kept SMTP client). Only used when
 * `SWITCHYARD_SMTP_URL` is set; a failure to send never fails the link: it is reported as
 * `invitation_sent: false` and logged, since the merchant still has the URL to pass on.
 */
// @ts-types="@types/nodemailer"
import nodemailer from "nodemailer";
import { type Config, isSmtpConfigured } from "../config.ts";
import type { App } from "../kv/apps.ts";
import type { TestLink } from "../kv/links.ts";

export interface Invitation {
  to: string;
  app: App;
  link: TestLink;
  url: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function sendInvitation(config: Config, invitation: Invitation): Promise<boolean> {
  if (!isSmtpConfigured(config)) return false;
  const { app, link, url } = invitation;
  const expires = new Date(link.expires_at).toUTCString();
  const subject = `You're invited to preview ${app.name} (version ${link.version})`;
  const text = `You have been invited to try version ${link.version} of ${app.name} before it ` +
    `goes live.\n\nOpen: ${url}\n\nThe link works until ${expires}. "${link.label}"`;
  const html = `<p>You have been invited to try version ${link.version} of ` +
    `<strong>${escapeHtml(app.name)}</strong> before it goes live.</p>` +
    `<p><a href="${escapeHtml(url)}">Open the preview</a></p>` +
    `<p>The link works until ${escapeHtml(expires)}.</p>`;
  try {
    const transport = nodemailer.createTransport(config.smtpUrl!);
    await transport.sendMail({ from: config.mailFrom, to: invitation.to, subject, text, html });
    transport.close();
    return true;
  } catch (error) {
    console.error(
      JSON.stringify({ level: "warn", msg: "invitation not sent", error: String(error) }),
    );
    return false;
  }
}
