/**
 * Why a request never got an answer, in words a person can act on. Deno's fetch reports every
 * failure as `TypeError: fetch failed` with the reason in its cause (`tcp connect error:
 * Connection refused`, `dns error: …`), and a timeout as a `TimeoutError`.
 */

export type NetworkCause = "refused" | "dns" | "tls" | "timeout" | "other";

export interface NetworkFailure {
  cause: NetworkCause;
  /** The message as a person reads it: what failed and the URL tried. */
  message: string;
  /** What to check or do next. */
  hint: string;
  /** Whether trying again may help (a server restarting may listen in a moment; DNS will not). */
  retryable: boolean;
}

/** The whole chain of messages of an error and its causes. */
function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 5; e = e.cause) {
    parts.push(e.message);
  }
  return parts.join(": ") || String(error);
}

export function classifyNetworkError(
  error: unknown,
  url: string,
  timeoutSeconds: number,
): NetworkFailure {
  const text = messages(error);
  const quoted = JSON.stringify(url);
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return {
      cause: "timeout",
      message: `No answer within ${timeoutSeconds} s: ${quoted}`,
      hint: "The server or the network is slow or stuck: try again, or allow more with --timeout",
      // Each retry would wait as long again: five tries of 60 s is no answer for a person.
      retryable: false,
    };
  }
  if (/connection refused/i.test(text)) {
    return {
      cause: "refused",
      message: `Connection refused: ${quoted}`,
      hint:
        "Nothing listens there: is Switchyard running (deno task start), and is the port right?",
      retryable: true,
    };
  }
  if (/dns error|failed to lookup|name or service not known|no address associated/i.test(text)) {
    return {
      cause: "dns",
      message: `Host name not found (DNS): ${quoted}`,
      hint: "Check the host in --url or SWITCHYARD_URL for a typo",
      retryable: false,
    };
  }
  const tls = /certificate|tls|ssl|handshake|corrupt message|InvalidContentType/i.test(text);
  if (tls || (url.startsWith("https:") && /client error \(Connect\)/.test(text))) {
    return {
      cause: "tls",
      message: `TLS handshake failed: ${quoted}`,
      hint: "Check the scheme (http:// or https://) and the server's certificate " +
        `(${text.replace(/^.*client error \(Connect\): /, "")})`,
      retryable: false,
    };
  }
  return {
    cause: "other",
    message: `Network error: ${quoted}`,
    hint: text,
    retryable: true,
  };
}
