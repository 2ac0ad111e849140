import mime from "mime";

/**
 * The Content-Type a file is served with, from its extension (the `mime` package's table).
 * Text types get `charset=utf-8`, since storefront builds emit UTF-8.
 */
export function contentTypeFor(path: string): string {
  const type = mime.getType(path) ?? "application/octet-stream";
  return isTextType(type) ? `${type}; charset=utf-8` : type;
}

function isTextType(type: string): boolean {
  return type.startsWith("text/") ||
    /^application\/(javascript|json|xml|manifest\+json|ld\+json)|image\/svg\+xml/.test(type);
}
