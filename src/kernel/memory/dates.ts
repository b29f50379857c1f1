/**
 * The dates Perf Auditor writes (memory rows, "Last updated", hand marks, Lighthouse runs): always
 * the local calendar date / time of the machine, never UTC, so that a run at 00:30 is recorded on the
 * day the user sees. One helper for the extension and the CLI.
 */
const p2 = (n: number): string => String(n).padStart(2, '0');

/** Local date, "YYYY-MM-DD". */
export function localDate(d: Date = new Date()): string {
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
}

/** Local date and time to the minute, "YYYY-MM-DD HH:MM". */
export function localDateTime(d: Date = new Date()): string {
  return `${localDate(d)} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}
