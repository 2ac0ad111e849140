/**
 * The test links of a version: the form that makes one (label, expiry, an optional invitation
 * by email), the new link shown once with a copy button and a QR code, and the list with each
 * link's visits and state, revocable by those allowed to.
 */
import type { VNode } from "preact";
import type { TestLink } from "../../kv/link_record.ts";
import { CopyRow } from "../copy_row.tsx";
import { CsrfField, RevokeForm, Time } from "../ui.tsx";
import { fullTime } from "../../lib/relative_time.ts";

/** A link just made: its URL exists only in this answer. */
export interface CreatedLink {
  url: string;
  label: string;
  expires_at: string;
  email: string | null;
  invitation_sent: boolean;
  /** The QR code of `url`, as inline SVG made on the server. */
  qr: string;
}

export interface LinkForm {
  values: { label: string; hours: string; email: string; banner: boolean };
  /** Per-field messages from the check, by field name (`label`, `email`, `expires_in_hours`). */
  errors: Record<string, string>;
}

const EXPIRY_CHOICES: [string, string][] = [
  ["1", "1 hour"],
  ["24", "1 day"],
  ["168", "7 days"],
  ["720", "30 days"],
];

export const EMPTY_LINK_FORM: LinkForm = {
  values: { label: "", hours: "168", email: "", banner: true },
  errors: {},
};

interface Props {
  version: number;
  links: (TestLink & { visits: number })[];
  created: CreatedLink | null;
  form: LinkForm;
  canDeploy: boolean;
  /** Whether the platform can mail invitations (SMTP configured). */
  canMail: boolean;
  csrf: string;
  now: number;
  locale: string;
}

export function TestLinks(props: Props): VNode {
  const { links, created, canDeploy } = props;
  return (
    <section class="card" id="links" aria-labelledby="links-title">
      <h2 id="links-title">Test links</h2>
      <p class="muted">
        A test link opens version {props.version}{" "}
        on the app's live address for whoever has it, without changing what shoppers see.
      </p>
      {created && <Created link={created} locale={props.locale} now={props.now} />}
      {canDeploy && <CreateForm {...props} />}
      {links.length === 0
        ? (
          <p class="empty">
            No test links for this version yet. {canDeploy
              ? "Make one above and send it to whoever should try this version."
              : "A developer or owner can make one."}
          </p>
        )
        : <LinkTable {...props} />}
    </section>
  );
}

function Created({ link, locale, now }: { link: CreatedLink; locale: string; now: number }) {
  return (
    <div class="created" role="status" aria-labelledby="created-title">
      <div class="created-text">
        <h3 id="created-title">Link “{link.label}” is ready</h3>
        <p>Copy it now: it is shown only this once.</p>
        <CopyRow
          id="created-url"
          value={link.url}
          label="Test link"
          copyLabel="Copy the test link"
        />
        <p class="muted">
          Works until {fullTime(link.expires_at, locale)}{" "}
          (<Time iso={link.expires_at} now={now} locale={locale} />).{" "}
          {link.email && (link.invitation_sent
            ? `An invitation was mailed to ${link.email}.`
            : `No mail was sent to ${link.email}: this platform has no mail set up, so send the link yourself.`)}
        </p>
        <p>
          <a href={link.url} target="_blank" rel="noopener noreferrer">Open it in a new tab</a>
        </p>
      </div>
      <figure class="qr">
        <div class="qr-code" dangerouslySetInnerHTML={{ __html: link.qr }} />
        <figcaption>Scan to open on a phone</figcaption>
      </figure>
    </div>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p class="field-error" id={id}>{message}</p> : null;
}

function CreateForm({ form, canMail, csrf }: Props) {
  const { values, errors } = form;
  const invalid = (name: string) =>
    errors[name] ? { "aria-invalid": true, "aria-describedby": `link-${name}-error` } : {};
  return (
    <form method="post" class="form link-form" action="#links" novalidate>
      <CsrfField token={csrf} />
      <input type="hidden" name="intent" value="create-link" />
      <div class="field">
        <label for="link-label">Label</label>
        <input
          id="link-label"
          name="label"
          required
          maxLength={100}
          value={values.label}
          placeholder="Review by Sam"
          {...invalid("label")}
        />
        <FieldError id="link-label-error" message={errors.label} />
      </div>
      <div class="field">
        <label for="link-hours">Expires after</label>
        <select id="link-hours" name="expires_in_hours" {...invalid("expires_in_hours")}>
          {EXPIRY_CHOICES.map(([hours, text]) => (
            <option value={hours} selected={values.hours === hours}>{text}</option>
          ))}
        </select>
        <FieldError id="link-expires_in_hours-error" message={errors.expires_in_hours} />
      </div>
      <div class="field">
        <label for="link-email">
          Invite by email <span class="muted">(optional)</span>
        </label>
        <input
          id="link-email"
          name="email"
          type="email"
          maxLength={254}
          value={values.email}
          placeholder="sam@example.com"
          aria-describedby={errors.email ? "link-email-error" : "link-email-hint"}
          aria-invalid={errors.email ? true : undefined}
        />
        <p class="hint" id="link-email-hint">
          {canMail
            ? "We mail them the link."
            : "Mail is not set up on this platform: the link is made, and you send it yourself."}
        </p>
        <FieldError id="link-email-error" message={errors.email} />
      </div>
      <div class="field check">
        <input
          id="link-banner"
          name="banner"
          type="checkbox"
          value="true"
          checked={values.banner}
        />
        <label for="link-banner">Show a banner saying this is a test version</label>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary">Create test link</button>
      </div>
    </form>
  );
}

function linkState(link: TestLink, now: number): ["active" | "expired" | "revoked", string] {
  if (link.revoked_at) return ["revoked", "Revoked"];
  return Date.parse(link.expires_at) <= now ? ["expired", "Expired"] : ["active", "Active"];
}

function LinkTable({ links, canDeploy, csrf, now, locale }: Props) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Test links of this version">
      <table class="links">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">State</th>
            <th scope="col" class="num">Visits</th>
            <th scope="col">Created</th>
            <th scope="col">Ends</th>
            {canDeploy && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {links.map((link) => {
            const [state, word] = linkState(link, now);
            return (
              <tr key={link.id} data-link={link.id}>
                <td>
                  <strong>{link.label}</strong>
                  {link.email && <div class="muted small">{link.email}</div>}
                </td>
                <td>
                  <span class={`badge ${state}`}>{word}</span>
                </td>
                <td class="num">{link.visits}</td>
                <td>
                  <Time iso={link.created_at} now={now} locale={locale} />
                  <div class="muted small">by {link.created_by}</div>
                </td>
                <td>
                  {state === "revoked"
                    ? <Time iso={link.revoked_at!} now={now} locale={locale} />
                    : <Time iso={link.expires_at} now={now} locale={locale} />}
                </td>
                {canDeploy && (
                  <td class="actions">
                    {state === "active" && (
                      <RevokeForm
                        csrf={csrf}
                        intent="revoke-link"
                        field="link"
                        id={link.id}
                        name={link.label}
                        action="#links"
                      />
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
