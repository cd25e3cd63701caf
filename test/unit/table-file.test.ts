import ExcelJS from "exceljs";
import { tableOf, toCsv, toXlsx } from "../../src/server/export/table-file";

const table = tableOf(
  "people",
  [
    { key: "name", header: "Name", type: "text" },
    { key: "score", header: "Score", type: "decimal" },
    { key: "since", header: "Since", type: "date" },
    { key: "month", header: "Month", type: "month" },
  ],
  [
    { name: 'Anna "the boss", CEO', score: -1.5, since: "2026-03-02", month: "2026-03" },
    { name: "=1+2", score: 0, since: null, month: null },
    { name: "+49 30 1234", score: 2, since: "2026-01-01", month: "2026-01" },
    { name: "-minus", score: 3, since: null, month: null },
    { name: "@SUM(A1)", score: 4, since: null, month: null },
    { name: "\tcmd", score: 5, since: null, month: null },
    { name: "two\r\nlines", score: null, since: null, month: null },
    { name: "Zoë 日本", score: 1e-7, since: null, month: null },
  ],
);

describe("table files", () => {
  it("writes RFC 4180 CSV with a byte order mark, and keeps formula-like text text", () => {
    expect(toCsv(table)).toBe(
      "\ufeffName,Score,Since,Month\r\n" +
        '"Anna ""the boss"", CEO",-1.5,2026-03-02,2026-03\r\n' +
        "'=1+2,0,,\r\n" +
        "'+49 30 1234,2,2026-01-01,2026-01\r\n" +
        "'-minus,3,,\r\n" +
        "'@SUM(A1),4,,\r\n" +
        "'\tcmd,5,,\r\n" +
        '"two\r\nlines",,,\r\n' +
        "Zoë 日本,1e-7,,\r\n",
    );
  });

  it("writes an Excel sheet with a bold header row, numbers as numbers and dates as dates", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(table)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("people");
    if (!sheet) throw new Error("no sheet");
    expect(sheet.getRow(1).values).toEqual([undefined, "Name", "Score", "Since", "Month"]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe('Anna "the boss", CEO');
    expect(first.getCell(2).value).toBe(-1.5);
    expect(first.getCell(3).value).toEqual(new Date("2026-03-02T00:00:00Z"));
    expect(first.getCell(3).numFmt).toBe("yyyy-mm-dd");
    expect(first.getCell(4).value).toEqual(new Date("2026-03-01T00:00:00Z"));
    expect(first.getCell(4).numFmt).toBe("yyyy-mm");
    // In a workbook a string is never a formula: it is stored as it is.
    expect(sheet.getRow(3).getCell(1).value).toBe("=1+2");
    expect(sheet.getRow(8).getCell(2).value).toBeNull();
    expect(sheet.rowCount).toBe(9);
  });

  it("writes exact decimal text to the digit in CSV, and as numbers in Excel, a rate with all its decimals", async () => {
    const money = tableOf(
      "money",
      [
        { key: "amount", header: "Amount", type: "decimal" },
        { key: "rate", header: "Rate to EUR", type: "rate" },
      ],
      [
        { amount: "999999999999999.91", rate: "0.0000573" },
        { amount: "-0.10", rate: "1" },
      ],
    );
    // As a float the first would read 999999999999999.9; a leading minus is a number, not a formula.
    expect(toCsv(money)).toBe("\ufeffAmount,Rate to EUR\r\n999999999999999.91,0.0000573\r\n-0.10,1\r\n");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(money)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("money");
    if (!sheet) throw new Error("no sheet");
    expect(sheet.getRow(2).getCell(2).value).toBe(0.0000573);
    expect(sheet.getRow(2).getCell(2).numFmt).toBe("0.0#########");
    expect(sheet.getRow(3).getCell(1).value).toBe(-0.1);
    expect(sheet.getRow(3).getCell(1).numFmt).toBe("#,##0.00");
  });
});
