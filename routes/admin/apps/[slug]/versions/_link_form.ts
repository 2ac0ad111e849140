/**
 * The version page's "create test link" form: checked by the API's own schema (`LinkCreate`),
 * made by the API's `createLink`, the invitation mailed as the API mails it, and the new URL
 * turned into a QR code on the server.
 */
import type { App } from "../../../../../kv/apps.ts";
import { createLink } from "../../../../../kv/links.ts";
import { createLogger } from "../../../../../lib/log.ts";
import { qrSvg } from "../../../../../lib/qr_svg.ts";
import { appUrl } from "../../../../../lib/urls.ts";
import type { CreatedLink, LinkForm } from "../../../../../components/version/test_links.tsx";
import { sendInvitation } from "../../../../api/invitation.ts";
import { LinkCreate } from "../../../../api/schemas.ts";
import type { AuthedContext } from "../../../context.ts";
import { adminAuditBy } from "../../../audit_by.ts";

/** The form's fields as typed, to show again beside its errors. */
function formValues(form: FormData): LinkForm["values"] {
  return {
    label: String(form.get("label") ?? ""),
    hours: String(form.get("expires_in_hours") ?? "168"),
    email: String(form.get("email") ?? "").trim(),
    banner: form.get("banner") === "true",
  };
}

/** Makes the link the form asks for, or answers the form again with a message per field. */
export async function createTestLink(
  ctx: AuthedContext,
  app: App,
  version: number,
  form: FormData,
): Promise<{ created: CreatedLink } | { form: LinkForm }> {
  const values = formValues(form);
  const parsed = LinkCreate.safeParse({
    label: values.label,
    email: values.email || null,
    expires_in_hours: Number(values.hours),
    banner: values.banner,
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "label");
      errors[field] ??= fieldMessage(field);
    }
    return { form: { values, errors } };
  }
  const input = parsed.data;
  const by = ctx.user.principal.name;
  const { link, token } = await createLink(ctx.kv, app, {
    version,
    label: input.label,
    email: input.email,
    expiresInHours: input.expires_in_hours,
    banner: input.banner,
    by,
    now: ctx.now,
    audit: adminAuditBy(ctx),
  });
  const url = `${appUrl(ctx.config, app.slug)}/_switchyard/preview?token=${token}`;
  const sent = link.email
    ? await sendInvitation(ctx.config, log, { to: link.email, app, link, url })
    : false;
  return {
    created: {
      url,
      label: link.label,
      expires_at: link.expires_at,
      email: link.email,
      invitation_sent: sent,
      qr: qrSvg(url, `QR code that opens version ${version} of ${app.name}`),
    },
  };
}

/** Invitations that fail are logged, as the API logs them; the page says none was sent. */
const log = createLogger({ level: "warn" });

const MESSAGES: Record<string, string> = {
  label: "Give the link a label of 1 to 100 characters, so you know whom it is for",
  email: "Enter an email address like sam@example.com, or leave it empty",
  expires_in_hours: "Choose how long the link works",
};

function fieldMessage(field: string): string {
  return MESSAGES[field] ?? `Check "${field}"`;
}
