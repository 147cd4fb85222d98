// A QR code as the parts of an SVG, drawn on the server by `qrcode` (its toString with type "svg").
// Its output is parsed into the square's size and the path of its dark modules, and refused if it
// is anything else: the page then draws the SVG itself through React, so nothing from a library's
// string is ever inlined as HTML. Pages call it (server components); tests/unit/qr-code.test.ts
// checks the parts against the library's own module matrix.
import QRCode from "qrcode";

export interface QrCodeDrawing {
  /** Width and height in modules, quiet zone included. */
  readonly size: number;
  /** The dark modules: one path of horizontal runs ("M4 4.5h7m1 0h1…"). */
  readonly path: string;
}

const SVG =
  /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"[^<>]*><path fill="#ffffff" d="M0 0h\1v\1H0z"\/><path stroke="#000000" d="([MmHhVv0-9. ]+)"\/><\/svg>\s*$/;

export async function qrCodeDrawing(text: string): Promise<QrCodeDrawing> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  const match = SVG.exec(svg);
  if (!match) throw new Error("qrcode drew an SVG of an unexpected shape");
  return { size: Number(match[1]), path: match[2]! };
}
