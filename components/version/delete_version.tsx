/**
 * The end of a version page: deleting the version, for roles that may. A version that is live,
 * in a split or scheduled cannot go (the server refuses it too): the card says what to do first.
 */
import type { VNode } from "preact";
import { CsrfField } from "../ui.tsx";

interface Props {
  number: number;
  /** Live, in a split or scheduled now. */
  inUse: boolean;
  /** Why the last attempt was refused, in words (a race the page could not see). */
  problem: string | null;
  csrf: string;
}

export function DeleteVersion({ number, inUse, problem, csrf }: Props): VNode {
  return (
    <section class="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete version {number}</h2>
      {problem && <p class="error-box" role="alert">{problem}</p>}
      {inUse
        ? (
          <p class="hint">
            Version {number}{" "}
            is live, in a split or scheduled, so it cannot be deleted: promote another version (or
            cancel the schedule) on the app's page first.
          </p>
        )
        : (
          <form method="post" class="inline-form">
            <CsrfField token={csrf} />
            <input type="hidden" name="intent" value="delete" />
            <p class="hint">
              Its number is never used again and its test links stop opening. Files no other version
              uses are collected later.
            </p>
            <button type="submit" class="button danger">Delete version {number}</button>
          </form>
        )}
    </section>
  );
}
