/**
 * The schemas of the account, member and invitation operations (shared/API.md "Accounts and
 * members"), with the examples the reference shows: kept apart from `schemas.ts` so the
 * account's story reads in one file.
 */
import { z } from "@hono/zod-openapi";
import { ROLES } from "../../kv/permissions.ts";

export const RoleSchema = z.enum(ROLES).openapi({
  description: "`owner`: everything, members, tokens and the account included; `developer`: " +
    "apps, versions, test links, going live, settings, schedules; `analyst`: reads only.",
});

export const AccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema.openapi({ description: "The caller's role in the account" }),
  created_at: z.string(),
}).openapi("Account");

export const AccountPatch = z.object({
  name: z.string().trim().min(1).max(100),
}).strict().openapi("AccountPatch");

const PersonSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
});

export const MemberSchema = z.object({
  id: z.string().openapi({ description: "The person's id (the `{id}` of the member's path)" }),
  name: z.string().nullable(),
  email: z.string().nullable(),
  role: RoleSchema,
  joined_at: z.string(),
}).openapi("Member");

export const MemberPatch = z.object({ role: RoleSchema }).strict().openapi("MemberPatch");

export const InvitationCreate = z.object({
  email: z.email().max(254),
  role: RoleSchema,
}).strict().openapi("InvitationCreate");

export const InvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  invited_by: z.string().nullable().openapi({ description: "The inviting person's id" }),
  created_at: z.string(),
  expires_at: z.string(),
}).openapi("Invitation");

export const InvitationCreated = InvitationSchema.extend({
  url: z.string().nullable().openapi({
    description: "The invitation link, when it was not mailed (no SMTP configured, or the " +
      "mail failed): pass it on yourself. It lets whoever opens it join; shown only here.",
    "x-secret": true,
  }),
  invitation_sent: z.boolean(),
}).openapi("InvitationCreated");

export const MeSchema = z.object({
  person: PersonSchema.nullable().openapi({ description: "Null for an API token" }),
  account_id: z.string(),
  role: RoleSchema,
  memberships: z.array(z.object({
    account_id: z.string(),
    account_name: z.string().nullable(),
    role: RoleSchema,
    joined_at: z.string(),
  })).openapi({ description: "The accounts the signed-in person may switch to" }),
}).openapi("Me");

const ACCOUNT_ID = "01JDQ7A0B1C2D3E4F5G6H7J8K9";
const ADA = "01JDQ7M1N2P3Q4R5S6T7V8W9X0";
const CREATED = "2026-11-20T09:30:00.000Z";

export const accountExample = {
  id: ACCOUNT_ID,
  name: "My shop Ltd",
  role: "owner",
  created_at: CREATED,
};

export const memberListExample = {
  items: [
    { id: ADA, name: "Ada Lovelace", email: "ada@example.com", role: "owner", joined_at: CREATED },
    {
      id: "01JDQ7P2Q3R4S5T6V7W8X9Y0Z1",
      name: "grace",
      email: "grace@example.com",
      role: "developer",
      joined_at: "2026-11-21T14:02:00.000Z",
    },
  ],
  next_cursor: null,
};

export const invitationCreateExample = { email: "grace@example.com", role: "developer" };

const invitation = {
  id: "01JDQ7Q3R4S5T6V7W8X9Y0Z1A2",
  email: "grace@example.com",
  role: "developer",
  invited_by: ADA,
  created_at: CREATED,
  expires_at: "2026-11-27T09:30:00.000Z",
};

export const invitationCreatedExample = {
  ...invitation,
  url: "https://switchyard.example/auth/invitations/7hQ2vX9kLm3Pz8Wc4Rt6Yb1Nd5Fg0Js2Ka7Ue3Io9Qp",
  invitation_sent: false,
};

export const invitationListExample = { items: [invitation], next_cursor: null };

export const meExample = {
  person: { id: ADA, name: "Ada Lovelace", email: "ada@example.com" },
  account_id: ACCOUNT_ID,
  role: "owner",
  memberships: [
    { account_id: ACCOUNT_ID, account_name: "My shop Ltd", role: "owner", joined_at: CREATED },
  ],
};
