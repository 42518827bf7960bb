"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { cn } from "~/lib/cn";

/**
 * A horizontally scrollable box (wide tables on narrow screens, or long
 * Spanish labels) that keyboard users can scroll too: when — and only when —
 * its content overflows, it becomes a tab stop (WCAG 2.1.1; axe
 * `scrollable-region-focusable`), so arrow keys scroll it. Tables that fit add
 * no extra tab stop.
 *
 * `relative`: an absolutely positioned descendant (an `sr-only` column label in a
 * table) is laid out against its nearest positioned ancestor; without one here it
 * escaped the scrolling box and widened the whole page (/admin/jobs was 496 px wide
 * in a 360 px window once the dead-letter table had rows).
 */
export const ScrollRegion = ({ className, children }: { className?: string; children: ReactNode }) => {
  const ref = useRef<HTMLDivElement>(null);
  // Focusable until measured: the server cannot know the width, and a stray
  // tab stop before hydration is harmless where an unreachable overflow is not.
  const [overflows, setOverflows] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} tabIndex={overflows ? 0 : undefined} className={cn("relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring", className)}>
      {children}
    </div>
  );
};
