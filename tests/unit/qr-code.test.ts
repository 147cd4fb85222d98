// The QR code the set-up page draws (lib/server/qr-code.ts): the dark modules of the path it keeps
// from qrcode's SVG are exactly the library's own matrix for that text, quiet zone included.
import assert from "node:assert/strict";
import { test } from "node:test";
import QRCode from "qrcode";
import { qrCodeDrawing } from "../../lib/server/qr-code.ts";

const URI = "otpauth://totp/Identity%20Portal:ada%40example.com?issuer=Identity%20Portal&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const MARGIN = 4;

/** The cells a path of horizontal runs ("M4 4.5h7m1 0h1…", absolute then relative moves) paints. */
function paintedCells(path: string): Set<string> {
  const cells = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHh])(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    const first = Number(a);
    if (command === "M") [x, y] = [first, Number(b)];
    else if (command === "m") [x, y] = [x + first, y + Number(b)];
    else {
      const to = command === "H" ? first : x + first;
      for (let column = x; column < to; column++) cells.add(`${column},${Math.floor(y)}`);
      x = to;
    }
  }
  return cells;
}

test("the drawing paints exactly the dark modules of the library's matrix, inside a quiet zone", async () => {
  const drawing = await qrCodeDrawing(URI);
  const matrix = QRCode.create(URI, { errorCorrectionLevel: "M" }).modules;
  assert.equal(drawing.size, matrix.size + 2 * MARGIN);
  const expected = new Set<string>();
  for (let row = 0; row < matrix.size; row++) {
    for (let column = 0; column < matrix.size; column++) {
      if (matrix.get(row, column)) expected.add(`${column + MARGIN},${row + MARGIN}`);
    }
  }
  assert.deepEqual(paintedCells(drawing.path), expected);
});

test("the path holds nothing but move and line commands", async () => {
  const drawing = await qrCodeDrawing('"><script>alert(1)</script>');
  assert.match(drawing.path, /^[MmHhVv0-9. ]+$/);
});
