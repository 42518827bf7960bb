/** Bytes in the largest unit that keeps the number ≥ 1, for Intl unit formatting. */
export const bytesUnit = (bytes: number): { value: number; unit: "byte" | "kilobyte" | "megabyte" | "gigabyte" } => {
  if (bytes >= 1024 ** 3) return { value: bytes / 1024 ** 3, unit: "gigabyte" };
  if (bytes >= 1024 ** 2) return { value: bytes / 1024 ** 2, unit: "megabyte" };
  if (bytes >= 1024) return { value: bytes / 1024, unit: "kilobyte" };
  return { value: bytes, unit: "byte" };
};
