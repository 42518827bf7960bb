"use client";

import { useFormatter } from "next-intl";
import { useCallback } from "react";

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

/** "25 MB", "812 KB": sizes in binary multiples (as the limits are set), localised. */
export const useFormatBytes = () => {
  const format = useFormatter();
  return useCallback(
    (bytes: number) => {
      let value = Math.max(0, bytes);
      let unit = 0;
      while (value >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
      }
      return format.number(value, { style: "unit", unit: UNITS[unit], unitDisplay: "short", maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1 });
    },
    [format],
  );
};
