import { notFound } from "next/navigation";

// An unknown path inside a workspace (/t/<slug>/no-such-page): the workspace's not-found, under its tabs, not the bare app-wide one.
export default function WorkspaceCatchAll() {
  notFound();
}
