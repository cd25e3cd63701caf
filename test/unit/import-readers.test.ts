import { readCsv, unprotectCell } from "../../src/server/imports/csv";
import { readVCards, splitStructured, unescapeText, writeVCard } from "../../src/server/imports/vcard";

describe("CSV reader", () => {
  it("gives each row the physical line it starts on, whatever the line ends and quoted breaks", () => {
    const table = readCsv('\uFEFFa;b\r\n"x\r\ny";1\r\n\r\n  \r\nz;2\r\n', 10, 500);
    expect(table.delimiter).toBe(";");
    expect(table.header).toEqual(["a", "b"]);
    expect(table.rows).toEqual([
      { line: 2, cells: ["x\r\ny", "1"] },
      { line: 6, cells: ["z", "2"] },
    ]);
    expect(readCsv("a,b\r1,2\r3,4", 10, 500).rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it("reports an unclosed quote at its line, and stops at the row limit", () => {
    expect(readCsv('a,b\n1,2\n"3,4\n5,6\n', 10, 500).errors.map((e) => e.line)).toEqual([3]);
    const big = readCsv(`a\n${"1\n".repeat(11)}`, 10, 500);
    expect([big.tooMany, big.rows.length]).toEqual([true, 10]);
  });

  it("stops at the first row wider than the column limit before reading a row, and counts cells as they are split", () => {
    const row = (cells: number) => Array.from({ length: cells }, (_, i) => `c${i}`).join(",");
    const justUnder = readCsv(`${row(5)}\n${row(5)}\n`, 10, 5);
    expect([justUnder.tooWideAt, justUnder.rows.length]).toEqual([null, 1]);
    // A data row past it, after a quoted cell of two lines: its line as the file has it.
    const wide = readCsv(`${row(2)}\r\n"a\r\nb",x\r\n${row(6)}\r\n`, 10, 5);
    expect([wide.tooWideAt, wide.header, wide.rows]).toEqual([4, [], []]);
    expect(readCsv(`${row(6)}\n`, 10, 5).tooWideAt).toBe(1);
    // Delimiters inside quotes are text; a doubled quote is a quote; a quote inside a cell is text.
    expect(readCsv(`a,b\n"1,2,3,4,5,6",""",,,,,,"\n`, 10, 5).tooWideAt).toBeNull();
    expect(readCsv(`a,b\nx"y,1,2,3,4,5\n`, 10, 5).tooWideAt).toBe(2);
    // Whitespace between a closing quote and the delimiter, as papaparse reads it.
    expect(readCsv(`a;b\n"1" ;"2"  ;3;4;5;6\n`, 10, 5).tooWideAt).toBe(2);
    expect(readCsv(`a\tb\n"1"\t"2"\t3\t4\t5\n`, 10, 5).tooWideAt).toBeNull();
  });

  it("takes off the apostrophe the export puts before formula-like text, and only that one", () => {
    expect(["'=SUM(A1)", "'+1 555", "'-2", "'@x", "'plain", "it's"].map(unprotectCell)).toEqual([
      "=SUM(A1)",
      "+1 555",
      "-2",
      "@x",
      "'plain",
      "it's",
    ]);
  });
});

describe("vCard", () => {
  const limits = { cards: 10, propertiesPerCard: 1000, properties: 1_000_000 };
  it("unfolds lines and decodes quoted-printable with soft breaks", () => {
    const file = readVCards(
      "BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:J=C3=B6=\r\nrg\r\nNOTE:a\r\n  b\r\nEND:VCARD\r\n",
      limits,
    );
    expect(file.cards[0]?.properties.map((p) => [p.name, p.value])).toEqual([
      ["FN", "Jörg"],
      ["NOTE", "a b"],
    ]);
  });

  it("stops at a card of more properties than a card may have, or more properties in all than a file may hold", () => {
    const card = (properties: number) => `BEGIN:VCARD\r\n${"X-A:a\r\n".repeat(properties)}END:VCARD\r\n`;
    const small = { cards: 10, propertiesPerCard: 3, properties: 7 };
    const justUnder = readVCards(card(3) + card(3) + card(1), small);
    expect([justUnder.stopped, justUnder.cards.map((c) => c.properties.length)]).toEqual([null, [3, 3, 1]]);
    expect(readVCards(card(3) + card(4), small).stopped).toEqual({ limit: "propertiesPerCard", line: 6 });
    expect(readVCards(card(3) + card(3) + card(2), small).stopped).toEqual({ limit: "properties" });
    // Properties with no parameters share one empty map.
    const [first, second] = justUnder.cards[0]?.properties ?? [];
    expect(first?.params.size).toBe(0);
    expect(first?.params).toBe(second?.params);
  });

  it("splits structured values on unescaped separators only", () => {
    expect(splitStructured("Customer\\, Inc.;Sales\\;EU")).toEqual(["Customer, Inc.", "Sales;EU"]);
    expect(unescapeText("a\\nb\\\\c")).toBe("a\nb\\c");
  });

  it("writes 4.0 cards with lines of at most 75 octets that read back to the same values", () => {
    const text = writeVCard({
      id: "00000000-0000-4000-8000-000000000000",
      displayName: `Émile ${"Zola👩‍💼".repeat(12)}, Jr.; \\ the second`,
      firstName: "Émile",
      lastName: "Zola",
      title: "Line one\nline two",
      emails: ["emile@example.com"],
      phones: ["+33 1 23"],
      company: "Zola, Fils & Cie",
      tags: ["a,b", "c"],
      updatedAt: "2026-12-01T10:00:00.000Z",
    });
    expect(text.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const [card] = readVCards(text, limits).cards;
    const value = (name: string) => card?.properties.find((p) => p.name === name)?.value ?? "";
    expect(unescapeText(value("FN"))).toBe(`Émile ${"Zola👩‍💼".repeat(12)}, Jr.; \\ the second`);
    expect(unescapeText(value("TITLE"))).toBe("Line one\nline two");
    expect(splitStructured(value("ORG"))).toEqual(["Zola, Fils & Cie"]);
    expect(splitStructured(value("CATEGORIES"), ",")).toEqual(["a,b", "c"]);
    expect(value("REV")).toBe("20261201T100000Z");
  });
});
