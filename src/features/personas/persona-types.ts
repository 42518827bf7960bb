import type { RouterOutputs } from "~/trpc/react";

// The editor's shapes, in their own file so the form and its reset button can
// both use them without importing each other (that made an import cycle).

type PersonaList = RouterOutputs["persona"]["list"];
export type PersonaView = PersonaList["personas"][number];
export type PersonaCredentialOption = PersonaList["credentials"][number];
