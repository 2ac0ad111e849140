/**
 * Reading one cookie out of a `Cookie` header without building a map of all of them: the edge
 * wants at most three names, and most requests carry none of them.
 */
export function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  let at = header.indexOf(name);
  while (at !== -1) {
    const before = at === 0 ? ";" : header[at - 1];
    const end = at + name.length;
    if ((before === ";" || before === " ") && header[end] === "=") {
      const stop = header.indexOf(";", end);
      return header.slice(end + 1, stop === -1 ? undefined : stop).trim();
    }
    at = header.indexOf(name, end);
  }
  return null;
}

/** `; Secure` for a request that came over HTTPS. */
export function secureSuffix(url: string): string {
  return url.startsWith("https:") ? "; Secure" : "";
}
