/**
 * The mail that invites someone to join an account, through the same SMTP settings as test-link
 * invitations (`SWITCHYARD_SMTP_URL`). Without SMTP, or when sending fails, nothing is mailed
 * and the owner is given the link to pass on: a failed mail never fails the invitation.
 */
import { type Config, isSmtpConfigured } from "../../config.ts";
import type { Invitation } from "../../kv/invitations.ts";
import { emailSubject, LIMITS, takeLimit } from "../../kv/rate_limits.ts";
import { errorFields, type Logger } from "../../lib/log.ts";
import { escapeHtml, sendMail } from "../../lib/mail.ts";

export interface MemberInvitationMail {
  invitation: Invitation;
  accountName: string;
  inviter: string | null;
  url: string;
}

/**
 * Counts an invitation about to be mailed against the account and against the invited email
 * (hashed), and throws a `RateLimitedError` (429 with `Retry-After`) when either is used up.
 * Call it before the invitation is made, so a refusal leaves the pending one as it was. Without
 * SMTP nothing is mailed, so nothing is counted: the owner is handed the link.
 */
export async function limitInvitationMail(
  kv: Deno.Kv,
  config: Config,
  accountId: string,
  email: string,
): Promise<void> {
  if (!isSmtpConfigured(config)) return;
  const now = config.now();
  await takeLimit(kv, LIMITS.invitationMailsPerAccount, accountId, now);
  await takeLimit(kv, LIMITS.invitationMailsPerEmail, await emailSubject(email), now);
}

/** Mails the invitation; true when the SMTP server took it. */
export async function mailMemberInvitation(
  config: Config,
  log: Logger,
  mail: MemberInvitationMail,
): Promise<boolean> {
  if (!isSmtpConfigured(config)) return false;
  const { invitation, accountName, url } = mail;
  const who = mail.inviter ?? "The owner";
  const expires = new Date(invitation.expires_at).toUTCString();
  try {
    await sendMail({ smtpUrl: config.smtpUrl!, mailFrom: config.mailFrom }, {
      to: invitation.email,
      subject: `${who} invited you to ${accountName} on Switchyard`,
      text: `${who} invited you to join ${accountName} on Switchyard as ${invitation.role}.` +
        `\n\nJoin: ${url}\n\nThe link works once, until ${expires}.`,
      html: `<p>${escapeHtml(who)} invited you to join <strong>${escapeHtml(accountName)}` +
        `</strong> on Switchyard as ${escapeHtml(invitation.role)}.</p>` +
        `<p><a href="${escapeHtml(url)}">Join ${escapeHtml(accountName)}</a></p>` +
        `<p>The link works once, until ${escapeHtml(expires)}.</p>`,
    });
    return true;
  } catch (error) {
    log.warn("Member invitation not sent", {
      account: invitation.account_id,
      invitation: invitation.id,
      ...errorFields(error),
    });
    return false;
  }
}
