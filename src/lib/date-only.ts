/** Date-only values (due dates) are stored at UTC midnight: formatting them in UTC keeps the day the user picked. */
export const DATE_ONLY = { dateStyle: "medium", timeZone: "UTC" } as const;
