/** Test links: create (optionally emailing an invitation), list, revoke. */
import { createRoute } from "@hono/zod-openapi";
import { createLink, listLinks, revokeLink } from "../../kv/links.ts";
import type { TestLink } from "../../kv/link_record.ts";
import { appUrl } from "../../lib/urls.ts";
import { sendInvitation } from "./invitation.ts";
import {
  ErrorSchema,
  IdParam,
  LinkCreate,
  LinkCreated,
  LinkSchema,
  listOf,
  ListQuery,
  SlugParam,
  VersionParam,
} from "./schemas.ts";
import { apiRouter, appOf, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import { linkCreatedExample, linkCreateExample, linkListExample } from "./examples.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

function linkJson(link: TestLink & { visits: number }) {
  return {
    id: link.id,
    version: link.version,
    label: link.label,
    email: link.email,
    banner: link.banner,
    created_at: link.created_at,
    expires_at: link.expires_at,
    revoked_at: link.revoked_at,
    visits: link.visits,
  };
}

export const links = apiRouter()
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "post",
      path: "/apps/{slug}/versions/{n}/links",
      tags: ["Test links"],
      summary: "Create a private link that opens version n on the app's live host",
      description: "Whoever opens the link sees version n on the app's live host (a cookie " +
        "keeps them there; `/_switchyard/preview/exit` leaves) until it expires, after " +
        "`expires_in_hours` (default 168, at most 720), or is revoked. With `email`, an " +
        "invitation is mailed when the platform has SMTP (`invitation_sent`). The URL is in " +
        "this answer only.",
      request: { params: VersionParam, body: jsonBody(LinkCreate, linkCreateExample) },
      responses: {
        201: jsonResponse(
          LinkCreated,
          "The link; its token is shown only here",
          linkCreatedExample,
        ),
        404: error("No such app or version"),
        422: error("The version is not ready, or the input is invalid"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const app = await appOf(c);
      const config = c.get("config");
      const { link, token } = await createLink(c.get("kv"), app, {
        version: c.req.valid("param").n,
        label: input.label,
        email: input.email,
        expiresInHours: input.expires_in_hours,
        banner: input.banner,
        by: c.get("principal").name,
        now: config.now(),
        audit: auditBy(c),
      });
      const url = `${appUrl(config, app.slug)}/_switchyard/preview?token=${token}`;
      const invitationSent = link.email
        ? await sendInvitation(config, c.get("log"), { to: link.email, app, link, url })
        : false;
      return c.json({
        id: link.id,
        url,
        version: link.version,
        label: link.label,
        email: link.email,
        expires_at: link.expires_at,
        invitation_sent: invitationSent,
      }, 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/links",
      tags: ["Test links"],
      summary: "List test links",
      description: "The app's test links, newest first, with their versions, expiry, " +
        "revocation and visits; never their tokens.",
      request: { params: SlugParam, query: ListQuery },
      responses: {
        200: jsonResponse(
          listOf(LinkSchema, "LinkList"),
          "Links, never their tokens",
          linkListExample,
        ),
      },
    }),
    async (c) => {
      const page = await listLinks(c.get("kv"), await appOf(c), c.req.valid("query"));
      return c.json({ items: page.items.map(linkJson), next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "delete",
      path: "/apps/{slug}/links/{id}",
      tags: ["Test links"],
      summary: "Revoke a test link",
      description: "The link stops working, and browsers that opened it stop seeing its " +
        "version within a second.",
      request: { params: SlugParam.extend({ id: IdParam }) },
      responses: { 204: { description: "Revoked" }, 404: error("No such link") },
    }),
    async (c) => {
      const app = await appOf(c);
      const id = c.req.valid("param").id;
      await revokeLink(c.get("kv"), app, id, c.get("config").now(), auditBy(c));
      return c.body(null, 204);
    },
  );
