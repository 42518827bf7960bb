/**
 * Cuts text to at most `max` characters, marking the cut with "…". Used for
 * everything that has a size budget: prompt excerpts, stored titles,
 * citations, deliverables. The space before the ellipsis is dropped so a cut
 * never reads "word …".
 */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
