/**
 * The answer to "Open in preview": a fresh one-hour test link, which the page follows at once
 * (the island navigates; a form's CSP `form-action 'self'` would refuse a redirect to the app's
 * host), with the link itself in case scripts are off.
 */
import type { VNode } from "preact";
import GoTo from "../../islands/GoTo.tsx";
import { Island } from "../island.tsx";

export function PreviewRedirect({ url, version }: { url: string; version: number }): VNode {
  return (
    <section class="card narrow">
      <p>
        Opening version {version}{" "}
        on the app's own address, as a shopper would see it. The preview lasts an hour.
      </p>
      <Island component={GoTo} props={{ url }} />
      <p>
        <a class="button primary" href={url}>Open the preview</a>
      </p>
    </section>
  );
}
