import { FormPageSkeleton } from "~/components/layout/page-skeletons";

export default function Loading() {
  return <FormPageSkeleton />;
}
