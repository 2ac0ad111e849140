/**
 * `/api/v1/account/invitations`: owners invite people by email. The link (single use, 7 days)
 * is mailed when SMTP is configured, else answered to the owner to pass on; accepting it is
 * `/auth/invitations/{secret}` (routes/auth/invitations.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getAccount } from "../../kv/accounts.ts";
import {
  createInvitation,
  type Invitation,
  listInvitations,
  revokeInvitation,
} from "../../kv/invitations.ts";
import { getPerson } from "../../kv/people.ts";
import { platformUrl } from "../../lib/urls.ts";
import {
  InvitationCreate,
  InvitationCreated,
  invitationCreatedExample,
  invitationCreateExample,
  invitationListExample,
  InvitationSchema,
} from "./account_schemas.ts";
import { apiRouter, jsonBody, jsonResponse } from "./env.ts";
import { limitInvitationMail, mailMemberInvitation } from "./member_invitation.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import { ErrorSchema, IdParam, listOf, ListQuery } from "./schemas.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

const invitationJson = (invitation: Invitation) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  invited_by: invitation.invited_by,
  created_at: invitation.created_at,
  expires_at: invitation.expires_at,
});

export const invitations = apiRouter()
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "post",
      path: "/account/invitations",
      tags: ["Account"],
      summary: "Invite someone to the account",
      description: "Makes an invitation link for `email` with `role`: it works once, for 7 " +
        "days. With SMTP configured it is mailed (`invitation_sent: true`); otherwise `url` " +
        "holds it, to pass on yourself. Inviting the same address again replaces the pending " +
        "invitation (its old link stops working). 409 `already_member` for a member. Mails " +
        "are limited per account and per invited address (429 with `Retry-After`).",
      request: { body: jsonBody(InvitationCreate, invitationCreateExample) },
      responses: {
        201: jsonResponse(InvitationCreated, "The invitation", invitationCreatedExample),
        409: error("Already a member, or 100 invitations pending (`too_many_invitations`)"),
        422: error("Invalid email or role"),
        429: error(
          "With SMTP: 30 invitations mailed per account an hour, or 3 to one address a day " +
            "(`too_many_invitations_sent`)",
        ),
      },
    }),
    async (c) => {
      const kv = c.get("kv");
      const config = c.get("config");
      const principal = c.get("principal");
      const { email, role } = c.req.valid("json");
      await limitInvitationMail(kv, config, principal.accountId, email);
      const { secret, invitation } = await createInvitation(kv, {
        accountId: principal.accountId,
        email,
        role,
        invitedBy: principal.creatorId,
        audit: auditBy(c),
      }, config.now());
      const url = `${platformUrl(config)}/auth/invitations/${secret}`;
      const [account, inviter] = await Promise.all([
        getAccount(kv, principal.accountId),
        principal.creatorId ? getPerson(kv, principal.creatorId) : null,
      ]);
      const sent = await mailMemberInvitation(config, c.get("log"), {
        invitation,
        accountName: account?.name ?? "an account",
        inviter: inviter?.name ?? null,
        url,
      });
      return c.json({
        ...invitationJson(invitation),
        url: sent ? null : url,
        invitation_sent: sent,
      }, 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "get",
      path: "/account/invitations",
      tags: ["Account"],
      summary: "List pending invitations",
      description: "Invitations not yet accepted, revoked or expired, newest first; never their " +
        "links.",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(
          listOf(InvitationSchema, "InvitationList"),
          "Pending invitations",
          invitationListExample,
        ),
      },
    }),
    async (c) => {
      const page = await listInvitations(
        c.get("kv"),
        c.get("principal").accountId,
        c.req.valid("query"),
        c.get("config").now(),
      );
      return c.json({ items: page.items.map(invitationJson), next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("owner"),
      method: "delete",
      path: "/account/invitations/{id}",
      tags: ["Account"],
      summary: "Revoke an invitation",
      description: "Its link stops working at once.",
      request: { params: z.object({ id: IdParam }) },
      responses: { 204: { description: "Revoked" }, 404: error("No such invitation") },
    }),
    async (c) => {
      const { accountId } = c.get("principal");
      await revokeInvitation(c.get("kv"), accountId, c.req.valid("param").id, auditBy(c));
      return c.body(null, 204);
    },
  );
