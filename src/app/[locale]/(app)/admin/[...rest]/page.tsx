import { notFound } from "next/navigation";

// An unknown path in the admin panel: the admin not-found, under the admin navigation.
export default function AdminCatchAll() {
  notFound();
}
