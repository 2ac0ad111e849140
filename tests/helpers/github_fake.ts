/**
 * A small stand-in for GitHub on loopback (the real one is out of reach from tests): the OAuth
 * app's authorize and token endpoints and the two REST reads sign-in makes, behaving as GitHub's
 * docs say — the redirect URI must be the registered one, the client secret right, the code used
 * once within 10 minutes, the PKCE verifier must hash (S256) to the challenge, and a refused
 * exchange is a 200 with an `error` in the body. The person "at the keyboard" is `user`, which
 * a test sets before each sign-in.
 */

export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface FakeGithub {
  url: string;
  clientId: string;
  clientSecret: string;
  user: GithubUser;
  close(): Promise<void>;
}

interface Grant {
  user: GithubUser;
  redirectUri: string;
  challenge: string;
  expires: number;
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function startFakeGithub(redirectUri: string): FakeGithub {
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, GithubUser>();
  const fake: Omit<FakeGithub, "url" | "close"> = {
    clientId: "Iv1.fake",
    clientSecret: "f".repeat(40),
    user: { id: 1, login: "octo", name: "Octo Cat", emails: [] },
  };

  function authorize(url: URL): Response {
    const q = url.searchParams;
    if (q.get("client_id") !== fake.clientId || q.get("redirect_uri") !== redirectUri) {
      return new Response("The redirect_uri is not associated with this application.", {
        status: 400,
      });
    }
    const back = new URL(redirectUri);
    back.searchParams.set("state", q.get("state") ?? "");
    if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
      back.searchParams.set("error", "invalid_request");
      return Response.redirect(back, 302);
    }
    const code = crypto.randomUUID();
    codes.set(code, {
      user: fake.user,
      redirectUri,
      challenge: q.get("code_challenge")!,
      expires: Date.now() + 600_000,
    });
    back.searchParams.set("code", code);
    return Response.redirect(back, 302);
  }

  async function token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const refuse = (error: string) => Response.json({ error, error_description: error });
    if (
      form.get("client_id") !== fake.clientId || form.get("client_secret") !== fake.clientSecret
    ) {
      return refuse("incorrect_client_credentials");
    }
    const grant = codes.get(form.get("code") ?? "");
    codes.delete(form.get("code") ?? "");
    if (!grant || grant.expires < Date.now()) return refuse("bad_verification_code");
    if (form.get("redirect_uri") !== grant.redirectUri) return refuse("redirect_uri_mismatch");
    if (await s256(form.get("code_verifier") ?? "") !== grant.challenge) {
      return refuse("bad_verification_code");
    }
    const accessToken = `gho_${crypto.randomUUID().replaceAll("-", "")}`;
    tokens.set(accessToken, grant.user);
    return Response.json({ access_token: accessToken, token_type: "bearer", scope: "user:email" });
  }

  function api(request: Request, path: string): Response {
    const user = tokens.get((request.headers.get("authorization") ?? "").replace(/^Bearer /, ""));
    if (!user) return Response.json({ message: "Bad credentials" }, { status: 401 });
    if (!request.headers.get("user-agent")) return new Response("UA required", { status: 403 });
    if (path === "/user") return Response.json({ id: user.id, login: user.login, name: user.name });
    return Response.json(user.emails);
  }

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/login/oauth/authorize") return authorize(url);
    if (url.pathname === "/login/oauth/access_token" && request.method === "POST") {
      return token(request);
    }
    if (url.pathname === "/user" || url.pathname === "/user/emails") {
      return api(request, url.pathname);
    }
    return new Response("Not Found", { status: 404 });
  });
  return Object.assign(fake, {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  });
}
