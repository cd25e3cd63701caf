import { crc32, inflateRawSync } from "node:zlib";

// An XLSX file is a zip, and ExcelJS (through JSZip) unpacks every entry of it into memory whole: a 10 MB upload of
// zeros deflated a thousand to one would be gigabytes before a single row is read. So the zip is unpacked here
// first, each entry inflated with a ceiling on what it may give (the rest of the file's budget), and ExcelJS is
// handed the same entries stored without compression: it can only ever see the bytes counted here.

/** Why a file cannot be read: its text is the refusal's detail. */
export class XlsxRefused extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A workbook has a few dozen parts; thousands would only be there to make work. */
export const XLSX_MAX_ENTRIES = 1000;

interface Entry {
  name: Buffer;
  utf8: boolean;
  madeBy: number;
  externalAttributes: number;
  time: number;
  date: number;
  data: Buffer;
}

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes and may be followed by a comment of at most 65,535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
    if (zip.readUInt32LE(at) === EOCD) return at;
  throw new XlsxRefused("The content is not an Excel workbook (.xlsx) in base64.");
}

/** The entries of a plain zip (one disk, no zip64, nothing before it), each unpacked within `maxBytes` in all. */
function unpack(zip: Buffer, maxBytes: number): Entry[] {
  const notAWorkbook = () => new XlsxRefused("The content is not an Excel workbook (.xlsx) in base64.");
  const end = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const start = zip.readUInt32LE(end + 16);
  if (
    zip.readUInt16LE(end + 4) !== 0 ||
    zip.readUInt16LE(end + 6) !== 0 ||
    zip.readUInt16LE(end + 8) !== count
  )
    throw notAWorkbook();
  // Zip64 marks its sizes 0xFFFF…; and a directory that does not end where its end record starts has data
  // before it that a reader would shift its offsets by. A workbook has neither.
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff || start + size !== end)
    throw notAWorkbook();
  if (count > XLSX_MAX_ENTRIES)
    throw new XlsxRefused(`An Excel file may hold at most ${XLSX_MAX_ENTRIES} parts.`);
  const entries: Entry[] = [];
  let unpacked = 0;
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) throw notAWorkbook();
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (next > end || flags & 0x1 || (method !== 0 && method !== 8)) throw notAWorkbook();
    if (local + 30 > start || zip.readUInt32LE(local) !== LOCAL) throw notAWorkbook();
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (dataStart + compressedSize > start) throw notAWorkbook();
    const packed = zip.subarray(dataStart, dataStart + compressedSize);
    const tooBig = () =>
      new XlsxRefused(
        `An Excel file may unpack to at most ${maxBytes / 1024 / 1024} MB; this one unpacks to more.`,
      );
    let data: Buffer;
    if (method === 0) data = packed;
    else
      try {
        // One byte more than is left: an entry that fills it exactly is still within the budget.
        data = inflateRawSync(packed, { maxOutputLength: maxBytes - unpacked + 1 });
      } catch (error) {
        // By its code: Node's RangeError is not the one of every realm (a test runner's, for one).
        throw (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE" ? tooBig() : notAWorkbook();
      }
    unpacked += data.length;
    if (unpacked > maxBytes) throw tooBig();
    entries.push({
      name: zip.subarray(at + 46, at + 46 + nameLength),
      utf8: (flags & 0x800) !== 0,
      madeBy: zip.readUInt16LE(at + 4),
      externalAttributes: zip.readUInt32LE(at + 38),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      data,
    });
    at = next;
  }
  return entries;
}

/** The entries again as a zip whose every entry is stored as it is: nothing left to inflate. */
function stored(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const crc = crc32(entry.data);
    const flags = entry.utf8 ? 0x800 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(entry.time, 10);
    local.writeUInt16LE(entry.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(entry.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(entry.madeBy, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(entry.time, 12);
    central.writeUInt16LE(entry.date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(entry.name.length, 28);
    central.writeUInt32LE(entry.externalAttributes, 38);
    central.writeUInt32LE(offset, 42);
    parts.push(local, entry.name, entry.data);
    directory.push(central, entry.name);
    offset += local.length + entry.name.length + entry.data.length;
  }
  const directorySize = directory.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...directory, end]);
}

/**
 * The workbook's bytes with nothing compressed, once every part is known to unpack within `maxBytes` in all;
 * refused (XlsxRefused) otherwise, or when it is not a plain zip.
 */
export function boundedXlsx(zip: Buffer, maxBytes: number): Buffer {
  if (zip.length < 22) throw new XlsxRefused("The content is not an Excel workbook (.xlsx) in base64.");
  return stored(unpack(zip, maxBytes));
}
