/**
 * A button that copies a text (a test link, a token shown once) to the clipboard and says so.
 * Rendered on the server at its final size, so hydrating it moves nothing; the text it copies is
 * also on the page in a read-only field, selectable by hand where the clipboard is refused.
 */
import { useState } from "preact/hooks";

interface Props {
  text: string;
  /** What is copied, for people using a screen reader ("Copy the link"). */
  label: string;
}

type State = "idle" | "copied" | "failed";

const WORDS: Record<State, string> = { idle: "Copy", copied: "Copied", failed: "Select and copy" };

export default function CopyButton({ text, label }: Props) {
  const [state, setState] = useState<State>("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2500);
  }
  return (
    <span class="copy">
      <button type="button" class="button small copy-button" aria-label={label} onClick={copy}>
        {WORDS[state]}
      </button>
      <span class="visually-hidden" role="status" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Copy failed" : ""}
      </span>
    </span>
  );
}
