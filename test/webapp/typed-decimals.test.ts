import { readTypedDecimal } from "../../src/webapp/pages/products/decimals";

/*
 * A price, quantity or rate typed in the web app is read as the reader's language writes numbers: "1,000" to an
 * English reader is a thousand (read as 1 it would price a deal a thousand times too low), "1.000" to a German one
 * too; what the language would not write that way is refused rather than guessed at.
 */
describe("a decimal typed as the reader writes it", () => {
  it("reads a thousands separator of the reader's language as one, never as the decimal point", () => {
    expect(readTypedDecimal("1,000", "en-GB")).toBe("1000");
    expect(readTypedDecimal("2,500", "en-US")).toBe("2500");
    expect(readTypedDecimal("1,000,000", "en-GB")).toBe("1000000");
    expect(readTypedDecimal("1,499.50", "en-GB")).toBe("1499.50");
    expect(readTypedDecimal("1.000", "de-DE")).toBe("1000");
    expect(readTypedDecimal("1.499,50", "de-DE")).toBe("1499.50");
    expect(readTypedDecimal("1.000", "hr-HR")).toBe("1000");
  });

  it("reads the reader's decimal separator as the point", () => {
    expect(readTypedDecimal("1.000", "en-GB")).toBe("1.000");
    expect(readTypedDecimal("1,000", "de-DE")).toBe("1.000");
    expect(readTypedDecimal("1,000", "sv-SE")).toBe("1.000");
    expect(readTypedDecimal("1 499,50", "sv-SE")).toBe("1499.50");
    expect(readTypedDecimal("25 %", "nb-NO")).toBe("25");
  });

  it("takes the other separator as a decimal point where it cannot be a thousands one", () => {
    expect(readTypedDecimal("1,5", "en-GB")).toBe("1.5");
    expect(readTypedDecimal("1 499,50", "en-GB")).toBe("1499.50");
    expect(readTypedDecimal("1499,505", "en-GB")).toBe("1499.505");
    expect(readTypedDecimal("12.5", "de-DE")).toBe("12.5");
    expect(readTypedDecimal("12.5", "sv-SE")).toBe("12.5");
  });

  it("refuses what the reader's language would not write", () => {
    // A Swede writes a thousand "1 000" and a decimal "1,000": "1.000" could be either.
    expect(readTypedDecimal("1.000", "sv-SE")).toBeNull();
    expect(readTypedDecimal("1,000.50", "de-DE")).toBeNull();
    expect(readTypedDecimal("1,00,000", "en-GB")).toBeNull();
    expect(readTypedDecimal("1,000,5", "en-GB")).toBeNull();
    expect(readTypedDecimal("1e3", "en-GB")).toBeNull();
    expect(readTypedDecimal("-0", "en-GB")).toBeNull();
    expect(readTypedDecimal("", "en-GB")).toBeNull();
  });
});
