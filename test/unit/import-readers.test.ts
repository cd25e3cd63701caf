import { readCsv, unprotectCell } from "../../src/server/imports/csv";
import { readVCards, splitStructured, unescapeText, writeVCard } from "../../src/server/imports/vcard";

describe("CSV reader", () => {
  it("gives each row the physical line it starts on, whatever the line ends and quoted breaks", () => {
    const table = readCsv('\uFEFFa;b\r\n"x\r\ny";1\r\n\r\n  \r\nz;2\r\n', 10);
    expect(table.delimiter).toBe(";");
    expect(table.header).toEqual(["a", "b"]);
    expect(table.rows).toEqual([
      { line: 2, cells: ["x\r\ny", "1"] },
      { line: 6, cells: ["z", "2"] },
    ]);
    expect(readCsv("a,b\r1,2\r3,4", 10).rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it("reports an unclosed quote at its line, and stops at the row limit", () => {
    expect(readCsv('a,b\n1,2\n"3,4\n5,6\n', 10).errors.map((e) => e.line)).toEqual([3]);
    const big = readCsv(`a\n${"1\n".repeat(11)}`, 10);
    expect([big.tooMany, big.rows.length]).toEqual([true, 10]);
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
  it("unfolds lines and decodes quoted-printable with soft breaks", () => {
    const file = readVCards(
      "BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:J=C3=B6=\r\nrg\r\nNOTE:a\r\n  b\r\nEND:VCARD\r\n",
      10,
    );
    expect(file.cards[0]?.properties.map((p) => [p.name, p.value])).toEqual([
      ["FN", "Jörg"],
      ["NOTE", "a b"],
    ]);
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
    const [card] = readVCards(text, 1).cards;
    const value = (name: string) => card?.properties.find((p) => p.name === name)?.value ?? "";
    expect(unescapeText(value("FN"))).toBe(`Émile ${"Zola👩‍💼".repeat(12)}, Jr.; \\ the second`);
    expect(unescapeText(value("TITLE"))).toBe("Line one\nline two");
    expect(splitStructured(value("ORG"))).toEqual(["Zola, Fils & Cie"]);
    expect(splitStructured(value("CATEGORIES"), ",")).toEqual(["a,b", "c"]);
    expect(value("REV")).toBe("20261201T100000Z");
  });
});
