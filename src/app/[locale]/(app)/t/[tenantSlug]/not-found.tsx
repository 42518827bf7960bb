import { SectionNotFound } from "~/components/layout/section-not-found";

// An unknown record or page inside a workspace (a meeting, task or conversation id that does not exist here): under the workspace tabs.
export default function WorkspaceNotFound() {
  return <SectionNotFound title="workspaceTitle" body="workspaceBody" back={{ href: "/workspaces", label: "backToWorkspaces" }} />;
}
