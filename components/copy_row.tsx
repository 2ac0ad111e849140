/**
 * A secret the server shows only once (a new API token, a test link): read-only in a field the
 * user can select, next to a button that copies it. The field keeps its id so pages and tests
 * can find the value.
 */
import type { VNode } from "preact";
import CopyButton from "../islands/CopyButton.tsx";
import { Island } from "./island.tsx";

export function CopyRow({ id, value, label, copyLabel }: {
  id: string;
  value: string;
  /** What the value is, for screen readers ("The new token"). */
  label: string;
  /** What the button copies, for screen readers ("Copy the token"). */
  copyLabel: string;
}): VNode {
  return (
    <div class="copy-row">
      <label for={id} class="visually-hidden">{label}</label>
      <input id={id} class="mono" type="text" readOnly value={value} />
      <Island component={CopyButton} props={{ text: value, label: copyLabel }} />
    </div>
  );
}
