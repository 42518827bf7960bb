"use client";

import { useState } from "react";

/**
 * Pause state shared by a page's polling queries: while paused, or while the
 * tab is hidden (React Query's default), nothing is fetched.
 */
export const useRefreshPause = () => {
  const [paused, setPaused] = useState(false);
  return { paused, toggle: () => setPaused((p) => !p), interval: (ms: number) => (paused ? (false as const) : ms) };
};
