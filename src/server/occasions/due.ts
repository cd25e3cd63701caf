import { celebratedOn, isLeapYear } from "../../shared/occasions";

/** A local date, YYYY-MM-DD, as its parts. */
export interface DayParts {
  year: number;
  month: number;
  day: number;
}

export const partsOf = (date: string): DayParts => {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return { year, month, day };
};

const dateOf = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));

/** Whether a birthday (day, month) falls on `today`: 29 February on 28 February in a year without it. */
export function isBirthdayOn(birthday: { day: number; month: number }, today: DayParts): boolean {
  const on = celebratedOn(birthday, today.year);
  return on.month === today.month && on.day === today.day;
}

/** The months and days whose birthdays fall on `today` (28 February in a common year takes 29 February too). */
export function birthdaysFallingOn(today: DayParts): { month: number; day: number }[] {
  const days = [{ month: today.month, day: today.day }];
  if (today.month === 2 && today.day === 28 && !isLeapYear(today.year)) days.push({ month: 2, day: 29 });
  return days;
}

/**
 * The occasion a won deal has today, as its key's tail, or null: N days after the day it was won (`<N>d`), or
 * each year on that day (`<years>y`; won on 29 February, the 28th in other years).
 */
export function wonDealOccasion(
  wonOn: DayParts,
  today: DayParts,
  timing: { afterDays: number } | { yearly: true },
): string | null {
  if ("afterDays" in timing) {
    const due = dateOf(wonOn.year, wonOn.month, wonOn.day + timing.afterDays);
    return due.getTime() === dateOf(today.year, today.month, today.day).getTime()
      ? `${timing.afterDays}d`
      : null;
  }
  const years = today.year - wonOn.year;
  if (years < 1 || !isBirthdayOn(wonOn, today)) return null;
  return `${years}y`;
}
