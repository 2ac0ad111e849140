import assert from "node:assert/strict";
import { allows, PERMISSIONS, refusal, type Role, type Scope } from "./permissions.ts";

Deno.test("a token acts with the lesser of its scope and its creator's role", () => {
  const cases: [Scope, Role, string][] = [
    ["full", "owner", "read deploy manage owner"],
    ["deploy", "owner", "read deploy"],
    ["read", "owner", "read"],
    ["full", "developer", "read deploy manage"],
    ["deploy", "developer", "read deploy"],
    ["full", "analyst", "read"],
    ["deploy", "analyst", "read"],
  ];
  for (const [scope, role, granted] of cases) {
    const got = PERMISSIONS.filter((p) => allows({ scope, role }, p)).join(" ");
    assert.equal(got, granted, `${scope} token of a ${role}`);
  }
});

Deno.test("refusal() names the scope, or else the role, and the missing permission", () => {
  assert.equal(
    refusal({ scope: "read", role: "owner" }, "deploy"),
    'Forbidden: this token\'s scope "read" does not allow "deploy"',
  );
  assert.equal(
    refusal({ scope: "full", role: "developer" }, "owner"),
    'Forbidden: the role "developer" of this token\'s creator does not allow "owner"',
  );
  assert.equal(
    refusal({ scope: "full", role: "analyst", tokenId: null }, "deploy"),
    'Forbidden: your role "analyst" does not allow "deploy"',
    "a signed-in person is told of their own role",
  );
  assert.equal(refusal({ scope: "deploy", role: "owner" }, "deploy"), null);
});
