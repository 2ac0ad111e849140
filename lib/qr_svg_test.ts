import assert from "node:assert/strict";
import decodeQR from "qr/decode.js";
import { qrSvg } from "./qr_svg.ts";

/** Paints the SVG's black squares (`M x,y h… v…`) onto a white RGBA image, as a screen would. */
function rasterize(svg: string): { width: number; height: number; data: Uint8Array } {
  const size = Number(/viewBox="0 0 (\d+) (\d+)"/.exec(svg)![1]);
  const data = new Uint8Array(size * size * 4).fill(255);
  const path = /<path fill="#000000" d="([^"]+)"/.exec(svg)![1];
  for (const [, x, y, w, h] of path.matchAll(/M(\d+),(\d+)h(\d+)v(\d+)/g)) {
    for (let row = Number(y); row < Number(y) + Number(h); row++) {
      for (let col = Number(x); col < Number(x) + Number(w); col++) {
        data.fill(0, (row * size + col) * 4, (row * size + col) * 4 + 3);
      }
    }
  }
  return { width: size, height: size, data };
}

Deno.test("qrSvg() draws a code a reader decodes back to the link", () => {
  const url = "http://shop.localhost:8000/_switchyard/preview?token=syt_" + "aB3".repeat(10) + "xY";
  const svg = qrSvg(url, "QR code of the test link");
  assert.match(svg, /^<svg role="img" aria-label="QR code of the test link" /);
  assert.equal(decodeQR(rasterize(svg)), url);
});

Deno.test("qrSvg() escapes its accessible name", () => {
  assert.match(qrSvg("x", `a "b" <c>`), /aria-label="a &#34;b&#34; &#60;c&#62;"/);
});
