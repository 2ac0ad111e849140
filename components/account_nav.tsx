/** The tabs between the account's pages; the current one is marked for assistive technology. */
import type { VNode } from "preact";

const PAGES: [string, string][] = [
  ["/account/members", "Members"],
  ["/account/tokens", "API tokens"],
  ["/account/passkeys", "Passkeys"],
  ["/account/audit", "Audit log"],
];

export function AccountNav({ current }: { current: string }): VNode {
  return (
    <nav class="tabs" aria-label="Account">
      {PAGES.map(([href, text]) => (
        <a href={href} aria-current={href === current ? "page" : undefined}>{text}</a>
      ))}
    </nav>
  );
}
