import { Search } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";

/** A plain GET form: the query lives in the URL, so results are shareable and work without JS. */
export const SearchForm = async ({
  id,
  name,
  label,
  value,
  keep,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  keep: Record<string, string>;
}) => {
  const tc = await getTranslations("common");
  return (
    <form method="get" className="flex flex-wrap items-end gap-2">
      {Object.entries(keep).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <div className="flex flex-col gap-1.5">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <Input id={id} name={name} type="search" defaultValue={value} maxLength={100} className="w-64" />
      </div>
      <Button type="submit" variant="secondary">
        <Search aria-hidden="true" />
        {tc("search")}
      </Button>
    </form>
  );
};
