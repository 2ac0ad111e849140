/**
 * A QR code as inline SVG, made on the server so a page shows it without any script (a test
 * link opened on a phone). `uqr` does the encoding: small, no dependencies, runs under Deno and
 * in browsers alike.
 */
import { renderSVG } from "uqr";

/**
 * The SVG of a QR code for `text`. Medium error correction (15 %) survives a phone camera at an
 * angle and keeps a 100-character URL at a size a laptop screen shows sharply. Black on white
 * whatever the page's theme: scanners want the contrast the QR specification assumes.
 */
export function qrSvg(text: string, title: string): string {
  const svg = renderSVG(text, {
    ecc: "M",
    border: 2,
    pixelSize: 8,
    whiteColor: "#ffffff",
    blackColor: "#000000",
  });
  // An accessible name for the image; `title` is escaped, the rest is the library's markup.
  return svg.replace(
    /^<svg /,
    `<svg role="img" aria-label="${escapeAttribute(title)}" `,
  );
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
