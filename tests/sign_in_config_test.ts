/**
 * Sign-in providers are configured all-or-none from the environment: a half-configured one fails
 * at start, naming what is missing, rather than at someone's first sign-in.
 */
import assert from "node:assert/strict";
import { isGithubConfigured, isOidcConfigured, loadConfig } from "../config.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("no provider variables: no OAuth sign-in offered", () => {
  const config = loadConfig(envOf({}));
  assert.equal(isGithubConfigured(config), false);
  assert.equal(isOidcConfigured(config), false);
});

Deno.test("GitHub and OIDC settings are read when complete", () => {
  const config = loadConfig(envOf({
    SWITCHYARD_GITHUB_CLIENT_ID: "Iv1.abc",
    SWITCHYARD_GITHUB_CLIENT_SECRET: "secret",
    SWITCHYARD_OIDC_ISSUER: "https://login.example.com/realms/shop",
    SWITCHYARD_OIDC_CLIENT_ID: "switchyard",
    SWITCHYARD_OIDC_CLIENT_SECRET: "oidc-secret",
    SWITCHYARD_OIDC_NAME: "Okta",
  }));
  assert.deepEqual(config.github, {
    clientId: "Iv1.abc",
    clientSecret: "secret",
    webUrl: "https://github.com",
    apiUrl: "https://api.github.com",
  });
  assert.deepEqual(config.oidc, {
    issuer: "https://login.example.com/realms/shop",
    clientId: "switchyard",
    clientSecret: "oidc-secret",
    name: "Okta",
  });
});

Deno.test("a half-configured provider fails at start, naming the missing variables", () => {
  assert.throws(
    () => loadConfig(envOf({ SWITCHYARD_GITHUB_CLIENT_ID: "Iv1.abc" })),
    /"SWITCHYARD_GITHUB_CLIENT_SECRET" must be set too/,
  );
  assert.throws(
    () => loadConfig(envOf({ SWITCHYARD_OIDC_ISSUER: "https://login.example.com" })),
    /"SWITCHYARD_OIDC_CLIENT_ID" and "SWITCHYARD_OIDC_CLIENT_SECRET" must be set too/,
  );
});

Deno.test("an OIDC issuer must be https, except on loopback", () => {
  const oidc = (issuer: string) =>
    loadConfig(envOf({
      SWITCHYARD_OIDC_ISSUER: issuer,
      SWITCHYARD_OIDC_CLIENT_ID: "a",
      SWITCHYARD_OIDC_CLIENT_SECRET: "b",
    }));
  assert.throws(() => oidc("http://login.example.com"), /must be an https URL/);
  assert.throws(() => oidc("not a url"), /must be a URL/);
  assert.equal(oidc("http://127.0.0.1:8080").oidc?.issuer, "http://127.0.0.1:8080");
});
