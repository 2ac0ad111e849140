/**
 * The invitation mail a test link can send to the person it is for. Only sent when SMTP is
 * configured; a failure to send never fails the link: it is reported as `invitation_sent: false`
 * and logged, since the merchant still has the URL to pass on.
 */
import { type Config, isSmtpConfigured } from "../../config.ts";
import type { App } from "../../kv/apps.ts";
import type { TestLink } from "../../kv/link_record.ts";
import { errorFields, type Logger } from "../../lib/log.ts";
import { escapeHtml, sendMail } from "../../lib/mail.ts";

export interface Invitation {
  to: string;
  app: App;
  link: TestLink;
  url: string;
}

/** Mails the invitation; true when it was handed to the SMTP server. */
export async function sendInvitation(
  config: Config,
  log: Logger,
  invitation: Invitation,
): Promise<boolean> {
  if (!isSmtpConfigured(config)) return false;
  const { app, link, url } = invitation;
  const expires = new Date(link.expires_at).toUTCString();
  try {
    await sendMail({ smtpUrl: config.smtpUrl!, mailFrom: config.mailFrom }, {
      to: invitation.to,
      subject: `You're invited to preview ${app.name} (version ${link.version})`,
      text: `You have been invited to try version ${link.version} of ${app.name} before it ` +
        `goes live.\n\nOpen: ${url}\n\nThe link works until ${expires}. "${link.label}"`,
      html: `<p>You have been invited to try version ${link.version} of ` +
        `<strong>${escapeHtml(app.name)}</strong> before it goes live.</p>` +
        `<p><a href="${escapeHtml(url)}">Open the preview</a></p>` +
        `<p>The link works until ${escapeHtml(expires)}.</p>`,
    });
    return true;
  } catch (error) {
    log.warn("Invitation not sent", { app: app.slug, link: link.id, ...errorFields(error) });
    return false;
  }
}
