/**
 * Going live from the app page: promote (with the `expect` the page saw, so a change made
 * meanwhile is a 409 explained in words, never silently overwritten), one-click rollback, a
 * traffic split, and a holiday schedule with its automatic revert.
 */
import { apiError, postJson } from "./api.ts";
import { type Arm, describeTarget } from "./app_types.ts";

export type Outcome = { ok: true; message: string } | { ok: false; message: string };

/** The 409 of a stale `expect`, in words: who is live now. */
async function explain(response: Response): Promise<string> {
  if (response.status === 409) {
    try {
      const body = await response.clone().json() as {
        error?: { code?: string; details?: { live?: number | null } };
      };
      if (body.error?.code === "live_changed") {
        const live = body.error.details?.live ?? null;
        return `Someone else changed what is live: ${
          live === null ? "nothing is live now" : `version ${live} is live now`
        }. Nothing was changed; check the versions below and try again.`;
      }
    } catch {
      // Not our error JSON: say what the server said.
    }
  }
  return await apiError(response);
}

/** The fields of the answers these calls read (a live change, a test link). */
interface Answer {
  version: number | null;
  previous: number | null;
  url: string;
}

async function outcome(
  response: Response,
  success: (body: Answer) => string,
): Promise<Outcome> {
  if (!response.ok) return { ok: false, message: await explain(response) };
  return { ok: true, message: success(await response.json().catch(() => ({}))) };
}

export async function promoteVersion(
  slug: string,
  version: number,
  expect: number | null,
): Promise<Outcome> {
  const response = await postJson(`/apps/${slug}/live`, { version, expect }, "PUT");
  return outcome(
    response,
    (body) =>
      `Version ${version} is live (was ${
        body.previous === null ? "nothing" : `v${body.previous}`
      })`,
  );
}

export async function rollBack(slug: string): Promise<Outcome> {
  const response = await postJson(`/apps/${slug}/rollback`, undefined);
  return outcome(
    response,
    (body) =>
      `Rolled back: ${
        body.version === null ? "nothing" : `v${body.version}`
      } is live (was v${body.previous})`,
  );
}

export async function splitTraffic(
  slug: string,
  split: Arm[],
  expect: number | null,
): Promise<Outcome> {
  const response = await postJson(`/apps/${slug}/live`, { split, expect }, "PUT");
  return outcome(response, () => `Traffic is split: ${describeTarget(null, split)}`);
}

/**
 * A theme from `from` to `to`: two scheduled changes, to `version` at the start and back to
 * what is live now at the end (the revert). If the second is refused, the first is removed, so
 * no holiday is left without its end.
 */
export async function scheduleHoliday(
  slug: string,
  version: number,
  from: Date,
  to: Date,
  revertTo: number,
): Promise<Outcome> {
  const start = await postJson(`/apps/${slug}/schedule`, { at: from.toISOString(), version });
  if (!start.ok) return { ok: false, message: await apiError(start) };
  const { id } = await start.json();
  const end = await postJson(`/apps/${slug}/schedule`, { at: to.toISOString(), version: revertTo });
  if (!end.ok) {
    const message = await apiError(end);
    await fetch(`/api/v1/apps/${slug}/schedule/${id}`, { method: "DELETE" });
    return { ok: false, message };
  }
  return {
    ok: true,
    message:
      `Scheduled: v${version} from ${from.toLocaleString()}, back to v${revertTo} at ${to.toLocaleString()}`,
  };
}

export async function unschedule(slug: string, id: string): Promise<Outcome> {
  const response = await fetch(`/api/v1/apps/${slug}/schedule/${id}`, { method: "DELETE" });
  if (!response.ok) return { ok: false, message: await apiError(response) };
  return { ok: true, message: "The scheduled change was removed" };
}

/** A short-lived test link to open a version as shoppers would see it. */
export async function previewLink(slug: string, version: number): Promise<Outcome> {
  const response = await postJson(`/apps/${slug}/versions/${version}/links`, {
    label: "Preview from the admin",
    expires_in_hours: 24,
  });
  return outcome(response, (body) => body.url);
}
