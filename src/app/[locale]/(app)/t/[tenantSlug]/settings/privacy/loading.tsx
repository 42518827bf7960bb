import { ListPageSkeleton } from "~/components/layout/page-skeletons";

export default function Loading() {
  return <ListPageSkeleton />;
}
