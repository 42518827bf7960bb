import { SectionNotFound } from "~/components/layout/section-not-found";

// notFound() on a signed-in page outside a workspace — and an unknown workspace,
// which the workspace layout turns away before its tabs render: inside the app shell.
export default function AppNotFound() {
  return <SectionNotFound back={{ href: "/workspaces", label: "backToWorkspaces" }} />;
}
