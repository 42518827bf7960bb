import type { RouterOutputs } from "~/trpc/react";

/**
 * An executive the user can pick (chat, meetings, tasks), as `chat.personas`
 * returns it. Declared here, not in one of those features, because all three
 * take it and features do not import each other.
 */
export type PersonaOption = RouterOutputs["chat"]["personas"]["personas"][number];
