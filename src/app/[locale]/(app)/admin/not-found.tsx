import { SectionNotFound } from "~/components/layout/section-not-found";

// An unknown workspace, user, dead letter or support session id in the admin panel: under the admin navigation.
export default function AdminNotFound() {
  return <SectionNotFound title="adminTitle" body="adminBody" back={{ href: "/admin", label: "backToAdmin" }} />;
}
