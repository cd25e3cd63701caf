import { lineNet, lineTotals, plainPercent } from "../../src/shared/line-totals";

const line = (quantity: string, unitPrice: string, discountPercent = "0", taxRate = "25") => ({
  quantity,
  unitPrice,
  discountPercent,
  taxRate,
});

describe("a deal's line totals", () => {
  it("counts exactly where floating point would not: 3 × 0.10 is 0.30", () => {
    expect(lineNet(line("3", "0.1"), "EUR")).toBe("0.30");
    expect(lineTotals([line("1", "0.1"), line("1", "0.2")], "EUR").net).toBe("0.30");
  });

  it("rounds each line half away from zero to the currency's decimals, and adds the rounded lines", () => {
    // 1 × 0.125 = 0.125 → 0.13 in EUR; twice that is 0.26, not round(0.25) = 0.25.
    const totals = lineTotals([line("1", "0.125"), line("1", "0.125")], "EUR");
    expect(totals.lineNets).toEqual(["0.13", "0.13"]);
    expect(totals.net).toBe("0.26");
    // JPY has no decimals, KWD three.
    expect(lineNet(line("1.5", "1001"), "JPY")).toBe("1502");
    expect(lineNet(line("3", "1.0005"), "KWD")).toBe("3.002");
  });

  it("takes the discount off before tax, and sums the tax per rate, highest first", () => {
    const totals = lineTotals(
      [line("2", "1000", "10", "25"), line("1", "200", "0", "12"), line("1", "99.99", "0", "25")],
      "SEK",
    );
    expect(totals.lineNets).toEqual(["1800.00", "200.00", "99.99"]);
    expect(totals.net).toBe("2099.99");
    expect(totals.taxes).toEqual([
      { rate: "25", net: "1899.99", tax: "475.00" },
      { rate: "12", net: "200.00", tax: "24.00" },
    ]);
    expect(totals.tax).toBe("499.00");
    expect(totals.total).toBe("2598.99");
  });

  it("gives a full discount and an empty list zero, in the currency's form", () => {
    expect(lineNet(line("5", "100", "100"), "EUR")).toBe("0.00");
    expect(lineTotals([], "EUR")).toEqual({
      lineNets: [],
      net: "0.00",
      taxes: [],
      tax: "0.00",
      total: "0.00",
    });
    expect(lineTotals([], "JPY").total).toBe("0");
  });

  it("adds amounts past 2^53 minor units without losing a cent", () => {
    const totals = lineTotals([line("1", "9999999999999.99", "0", "0"), line("1", "0.01", "0", "0")], "EUR");
    expect(totals.net).toBe("10000000000000.00");
  });

  it("writes a rate without trailing zeros", () => {
    expect(plainPercent("25.00")).toBe("25");
    expect(plainPercent("12.50")).toBe("12.5");
    expect(plainPercent("0")).toBe("0");
  });
});
