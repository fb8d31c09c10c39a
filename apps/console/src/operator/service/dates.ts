const DAY_MS = 86_400_000;
const JST_MS = 9 * 3_600_000;

/** A calendar day in Japan ('YYYY-MM-DD'), the way the notice's dates are written. */
export function jstDate(at: Date): string {
  return new Date(at.getTime() + JST_MS).toISOString().slice(0, 10);
}

/** 00:00 Japan time of a day. */
export function startOfJstDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - JST_MS);
}

/** 24:00 Japan time of a day (7pay ended "2019-09-30 24:00"). */
export function endOfJstDay(day: string): Date {
  return new Date(startOfJstDay(day).getTime() + DAY_MS);
}

/** A datetime-local value ('YYYY-MM-DDTHH:MM') read as Japan time. */
export function jstLocalToIso(value: string): string {
  return new Date(Date.parse(`${value.length === 16 ? `${value}:00` : value}+09:00`)).toISOString();
}

export function addDays(day: string, days: number): string {
  return jstDate(new Date(startOfJstDay(day).getTime() + days * DAY_MS));
}

/** Days a holder has to claim: from the first day's start to the last day's end. */
export function claimDays(from: string, until: string): number {
  return Math.round((endOfJstDay(until).getTime() - startOfJstDay(from).getTime()) / DAY_MS);
}

export interface NoticeDraft {
  terminationDay: string;
  claimsFromDay: string;
  claimsUntilDay: string;
}

/** 7pay's own dates on a sandbox replaying 2019 (before they passed); otherwise the end in 30 days and the legal minimum of 60 days to claim. */
export function defaultNotice(now: Date): NoticeDraft {
  if (now < endOfJstDay('2019-09-30')) {
    return { terminationDay: '2019-09-30', claimsFromDay: '2019-10-01', claimsUntilDay: '2020-01-10' };
  }
  const terminationDay = jstDate(new Date(now.getTime() + 30 * DAY_MS));
  const claimsFromDay = addDays(terminationDay, 1);
  return { terminationDay, claimsFromDay, claimsUntilDay: addDays(claimsFromDay, 59) };
}

/** 7pay's 2019, day by day: what the timeline shows beside each phase on a sandbox replaying it. */
export const SEVEN_PAY_2019: Record<string, string> = {
  operating: '2019-07-01',
  card_topup_suspended: '2019-07-03',
  topup_suspended: '2019-07-04',
  abolition_announced: '2019-08-01',
  terminated: '2019-09-30 24:00',
  refund_window: '2019-10-01',
  closed: '2020-01-11',
};
