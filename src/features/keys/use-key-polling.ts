"use client";

import { useState } from "react";
import { KEY_POLL_MS } from "./key-format";

/**
 * Polling for the key screens: every KEY_POLL_MS while an operation is in
 * flight, never otherwise, and not while paused (WCAG 2.2.2). React Query
 * also stops while the tab is hidden. Refetches never move focus.
 */
export const useKeyPolling = () => {
  const [paused, setPaused] = useState(false);
  return {
    paused,
    toggle: () => setPaused((p) => !p),
    interval: (running: boolean) => (running && !paused ? KEY_POLL_MS : (false as const)),
  };
};

/**
 * The sentence for a polite live region when the operation being watched
 * leaves the in-flight states. Derived during render from the polled data
 * (React's "adjusting state when a prop changes"), so no effect and no timer:
 * `inFlightId` is the operation in flight now (or null), `finished` looks up
 * how an operation ended and says it.
 */
export const useCompletionAnnouncement = (inFlightId: string | null, finished: (id: string) => string | null) => {
  const [watching, setWatching] = useState<string | null>(inFlightId);
  const [announcement, setAnnouncement] = useState("");
  if (inFlightId !== null && watching !== inFlightId) {
    setWatching(inFlightId);
    setAnnouncement("");
  } else if (inFlightId === null && watching !== null) {
    setWatching(null);
    setAnnouncement(finished(watching) ?? "");
  }
  return announcement;
};
