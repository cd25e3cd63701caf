// Draws Rapport's icon (a white "R" on a rounded #0F6CBD square) at every size manifest.xml names, as PNG
// files in assets/, and the grey one (#919191) Outlook mobile wants for the meeting's Log button (icon-grey-*). `npm run icons` rewrites them; the PNGs are committed, so neither the build nor Outlook
// needs this script. Pure Node: a hand-written PNG encoder over zlib, shapes sampled 4×4 per pixel for
// antialiasing, and no image library to install.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

/**
 * Pixels. 16/32/80: ribbon buttons; 64/128: IconUrl and HighResolutionIconUrl; 25/32/48 points at scales
 * 1, 2 and 3 for the mobile button (25, 50, 75, 32, 64, 96, 48, 96, 144).
 */
export const ICON_SIZES = [16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144] as const;

const BLUE = { r: 0x0f, g: 0x6c, b: 0xbd };
/** Outlook mobile's grey for a MobileLogEventAppointmentAttendee button's icon (learn.microsoft.com, ExtensionPoint). */
const GREY = { r: 0x91, g: 0x91, b: 0x91 };
/** The mobile button's 25, 32 and 48 points at scales 1, 2 and 3, in pixels. */
export const MOBILE_ICON_SIZES = [25, 32, 48, 50, 64, 75, 96, 144] as const;
const SAMPLES = 4;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG: every scanline unfiltered (filter byte 0), which zlib compresses well enough here. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  // bytes 10-12 stay 0: deflate, adaptive filtering, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1 across the icon, y down), so every size draws the same mark.
const inRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number) =>
  x >= x0 && x <= x1 && y >= y0 && y <= y1;
const inCircle = (x: number, y: number, cx: number, cy: number, r: number) =>
  (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function inRoundedSquare(x: number, y: number): boolean {
  const r = 0.2;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return inCircle(x, y, cx, cy, r);
}

function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.min(Math.max(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0), 1);
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** A geometric "R": a stem, a bowl (a D-shaped ring) and a diagonal leg, cut flat at the baseline. */
function inLetterR(x: number, y: number): boolean {
  const [top, bottom, stemLeft, stroke] = [0.22, 0.78, 0.3, 0.12];
  const stem = inRect(x, y, stemLeft, top, stemLeft + stroke, bottom);
  const [cx, cy, outer] = [0.53, 0.38, 0.16];
  const inner = outer - stroke + 0.01;
  const bowlOuter = inRect(x, y, stemLeft, top, cx, cy + outer) || (x >= cx && inCircle(x, y, cx, cy, outer));
  const bowlHole =
    inRect(x, y, stemLeft + stroke, cy - inner, cx, cy + inner) || (x >= cx && inCircle(x, y, cx, cy, inner));
  const leg = y <= bottom && y >= cy && distanceToSegment(x, y, 0.5, 0.5, 0.71, bottom) <= stroke / 2;
  return stem || (bowlOuter && !bowlHole) || leg;
}

export function drawIcon(size: number, colour: { r: number; g: number; b: number } = BLUE): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0;
      let letter = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          if (!inRoundedSquare(x, y)) continue;
          square++;
          if (inLetterR(x, y)) letter++;
        }
      }
      // White over blue by the letter's share of the square's samples; transparent outside the corners.
      const white = square ? letter / square : 0;
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(colour.r + (255 - colour.r) * white);
      rgba[i + 1] = Math.round(colour.g + (255 - colour.g) * white);
      rgba[i + 2] = Math.round(colour.b + (255 - colour.b) * white);
      rgba[i + 3] = Math.round((255 * square) / (SAMPLES * SAMPLES));
    }
  }
  return encodePng(size, size, rgba);
}

if (require.main === module) {
  const outDir = path.resolve(__dirname, "../assets");
  mkdirSync(outDir, { recursive: true });
  for (const size of ICON_SIZES) {
    const file = path.join(outDir, `icon-${size}.png`);
    writeFileSync(file, drawIcon(size));
    console.log(`${path.relative(process.cwd(), file)} (${size}×${size})`);
  }
  for (const size of MOBILE_ICON_SIZES) {
    const file = path.join(outDir, `icon-grey-${size}.png`);
    writeFileSync(file, drawIcon(size, GREY));
    console.log(`${path.relative(process.cwd(), file)} (${size}×${size})`);
  }
}
