/** Small server-only pieces the admin's pages share. */
import type { ComponentChildren, VNode } from "preact";

/** "3 minutes ago", with the exact time as its tooltip: the islands' element, drawn on the server. */
export { RelTime as Time } from "../islands/lib/rel_time.tsx";

/** The hidden field that carries a form's CSRF token (routes/admin/csrf.ts). */
export function CsrfField({ token }: { token: string }): VNode {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A list of what the server refused, in words. */
export function Problems(
  { title, problems }: { title: string; problems: string[] },
): VNode | null {
  if (problems.length === 0) return null;
  return (
    <div class="error-box" role="alert">
      <strong>{title}</strong>
      <ul>{problems.map((problem, i) => <li key={i}>{problem}</li>)}</ul>
    </div>
  );
}

export function Card(
  { title, children, class: extra }: {
    title?: string;
    children: ComponentChildren;
    class?: string;
  },
): VNode {
  return (
    <section class={extra ? `card ${extra}` : "card"}>
      {title && <h2>{title}</h2>}
      {children}
    </section>
  );
}

export { formatBytes } from "../lib/format.ts";

/** One row's revoke button: a POST form naming the intent and the row's id. */
export function RevokeForm({ csrf, intent, field, id, name, action }: {
  csrf: string;
  intent: string;
  /** The form field that carries the row's id. */
  field: string;
  id: string;
  /** The row's name, for the button's accessible label. */
  name: string;
  action?: string;
}): VNode {
  return (
    <form method="post" action={action}>
      <CsrfField token={csrf} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={field} value={id} />
      <button type="submit" class="button small danger" aria-label={`Revoke “${name}”`}>
        Revoke
      </button>
    </form>
  );
}
