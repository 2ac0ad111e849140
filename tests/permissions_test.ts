/**
 * Every operation of the API, as its OpenAPI document lists them, called with a token of each
 * scope over HTTP: 403 exactly where the scope does not grant the operation's `x-permission`.
 * The same for each member role, signed in and through a full token the member made. A route
 * added later is in the document, so it is in these matrices without anyone adding it.
 */
import assert from "node:assert/strict";
import { createToken } from "../kv/accounts.ts";
import { addMember, createPerson } from "../kv/people.ts";
import { allows, type Role, ROLES, SCOPES } from "../kv/permissions.ts";
import { call, type Caller, documentedOperations } from "./helpers/operations.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { signIn } from "./helpers/session.ts";

Deno.test("every operation refuses with 403 exactly the scopes that lack its permission", async () => {
  const server = await startServer();
  try {
    const operations = await documentedOperations(server);
    assert.ok(operations.length >= 20, `only ${operations.length} operations documented`);
    const tokens = new Map<string, string>();
    for (const scope of SCOPES) {
      tokens.set(scope, (await createToken(server.kv, server.accountId, scope, { scope })).token);
    }
    for (const [i, op] of operations.entries()) {
      // An app of its own per operation: a delete that is allowed leaves the others theirs.
      const slug = `matrix-${i}`;
      await (await server.api("POST", "/apps", { slug, name: slug })).body?.cancel();
      const params = { slug, n: "1", id: "01jdq9f2g3h4j5k6m7n8p9q0r1", sha256: "0".repeat(64) };
      for (const scope of SCOPES) {
        const res = await call(server, op, tokens.get(scope)!, params);
        const text = await res.text();
        const where = `${op.method.toUpperCase()} ${op.path} (needs ${op.permission}) ` +
          `with a ${scope} token: ${res.status} ${text}`;
        if (allows({ scope, role: "owner" }, op.permission)) {
          assert.notEqual(res.status, 403, where);
          assert.notEqual(res.status, 401, where);
        } else {
          assert.equal(res.status, 403, where);
          assert.ok(op.statuses.includes("403"), `${where}: the document lists no 403`);
          const { error } = JSON.parse(text);
          assert.equal(error.code, "insufficient_scope", where);
          assert.equal(
            error.message,
            `Forbidden: this token's scope "${scope}" does not allow "${op.permission}"`,
          );
        }
      }
    }
  } finally {
    await server.close();
  }
});

Deno.test("the operations of a deploy from CI need no more than a deploy token has", async () => {
  const server = await startServer();
  try {
    const needs = new Map(
      (await documentedOperations(server)).map((op) => [`${op.method} ${op.path}`, op.permission]),
    );
    // What `deno task deploy --promote --link` calls (cli/client.ts), and the tokens it must not.
    const deploy = [
      "get /apps/{slug}",
      "post /apps/{slug}/versions",
      "put /apps/{slug}/blobs/{sha256}",
      "post /apps/{slug}/versions/{n}/finalize",
      "get /apps/{slug}/versions/{n}/files",
      "put /apps/{slug}/live",
      "post /apps/{slug}/rollback",
      "post /apps/{slug}/versions/{n}/links",
    ];
    for (const op of deploy) {
      assert.ok(allows({ scope: "deploy", role: "owner" }, needs.get(op)!), op);
    }
    for (const op of ["post /tokens", "get /tokens", "delete /tokens/{id}"]) {
      assert.equal(needs.get(op), "owner", op);
    }
    for (const op of ["delete /apps/{slug}", "put /apps/{slug}/settings", "post /apps"]) {
      assert.ok(!allows({ scope: "deploy", role: "owner" }, needs.get(op)!), op);
    }
  } finally {
    await server.close();
  }
});

Deno.test("a full token of a developer is refused what the role lacks, naming the role", async () => {
  const server = await startServer();
  try {
    const { token } = await createToken(server.kv, server.accountId, "dev", { role: "developer" });
    const auth = { authorization: `Bearer ${token}` };
    const created = await server.api("POST", "/apps", { slug: "dev-app", name: "Dev" }, auth);
    assert.equal(created.status, 201);
    await created.body?.cancel();
    const refused = await server.api("POST", "/tokens", { name: "more" }, auth);
    assert.equal(refused.status, 403);
    assert.equal(
      (await refused.json()).error.message,
      'Forbidden: the role "developer" of this token\'s creator does not allow "owner"',
    );
  } finally {
    await server.close();
  }
});

/** A member of the default account with `role`: signed in, and a full token they made. */
async function memberWith(server: TestServer, role: Role): Promise<[Caller, Caller]> {
  const person = await createPerson(server.kv, { email: `${role}@example.com`, name: role });
  await addMember(server.kv, server.accountId, person.id, role);
  const { token } = await createToken(server.kv, server.accountId, `${role}'s`, {
    role,
    personId: person.id,
  });
  return [await signIn(server, person.id), token];
}

Deno.test("every operation refuses with 403 exactly the roles that lack its permission", async () => {
  const server = await startServer();
  try {
    const operations = await documentedOperations(server);
    const callers = new Map<Role, [Caller, Caller]>();
    for (const role of ROLES) callers.set(role, await memberWith(server, role));
    for (const [i, op] of operations.entries()) {
      const slug = `roles-${i}`;
      await (await server.api("POST", "/apps", { slug, name: slug })).body?.cancel();
      // Unknown ids: an allowed change finds nothing to change, so no caller loses its access.
      const params = { slug, n: "1", id: "01jdq9f2g3h4j5k6m7n8p9q0r1", sha256: "0".repeat(64) };
      for (const role of ROLES) {
        for (const [how, caller] of callers.get(role)!.entries()) {
          const res = await call(server, op, caller, params);
          const text = await res.text();
          const where = `${op.method.toUpperCase()} ${op.path} (needs ${op.permission}) as a ` +
            `${role} ${how === 0 ? "signed in" : "with a full token"}: ${res.status} ${text}`;
          if (allows({ scope: "full", role }, op.permission)) {
            assert.ok(res.status !== 403 && res.status !== 401, where);
            continue;
          }
          assert.equal(res.status, 403, where);
          const { error } = JSON.parse(text);
          assert.equal(error.code, "insufficient_scope", where);
          assert.match(error.message, new RegExp(`role "${role}".* does not allow`), where);
        }
      }
    }
  } finally {
    await server.close();
  }
});
