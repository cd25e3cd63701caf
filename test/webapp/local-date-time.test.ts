import { isoFromLocalDateTime, localDateTimeText } from "../../src/webapp/lists/local-date-time";

describe("a due time in the user's time zone", () => {
  it("reads and writes the input's text in the zone named, whatever the machine's zone", () => {
    expect(localDateTimeText("2026-11-20T15:00:00.000Z", "Europe/Stockholm")).toBe("2026-11-20T16:00");
    expect(localDateTimeText("2026-07-01T15:00:00+02:00", "America/New_York")).toBe("2026-07-01T09:00");
    expect(localDateTimeText("2026-11-20T15:00:00.000Z", "Asia/Kolkata")).toBe("2026-11-20T20:30");
    expect(isoFromLocalDateTime("2026-11-20T16:00", "Europe/Stockholm")).toBe("2026-11-20T15:00:00.000Z");
    expect(isoFromLocalDateTime("2026-07-01T09:00", "America/New_York")).toBe("2026-07-01T13:00:00.000Z");
    expect(isoFromLocalDateTime("2026-11-20T20:30", "Asia/Kolkata")).toBe("2026-11-20T15:00:00.000Z");
  });

  it("goes round the year: either side of the clocks' changes", () => {
    for (let day = 0; day < 366; day += 1)
      for (const hour of [0, 1, 2, 3, 12, 23]) {
        const instant = new Date(Date.UTC(2026, 0, 1 + day, hour, 15)).toISOString();
        const text = localDateTimeText(instant, "Europe/Stockholm");
        // In the autumn the hour 02:00–03:00 comes twice; the text names either, and reads back to one of them.
        const back = isoFromLocalDateTime(text, "Europe/Stockholm");
        expect(localDateTimeText(back ?? "", "Europe/Stockholm")).toBe(text);
      }
  });

  it("reads a time the clocks skip with the offset before the change, as browsers do", () => {
    // 29 March 2026: Stockholm's clocks go from 02:00 to 03:00.
    expect(isoFromLocalDateTime("2026-03-29T02:30", "Europe/Stockholm")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("refuses what is not a date and a time", () => {
    for (const text of ["", "2026-02-30T10:00", "2026-11-20", "2026-11-20T24:00", "tomorrow"])
      expect(isoFromLocalDateTime(text, "Europe/Stockholm")).toBeNull();
  });
});
