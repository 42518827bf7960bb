/** The multi-line counterpart of the Input component's look (there is no Textarea in components/ui). */
export const textareaClass =
  "block w-full rounded-md border border-border-strong bg-bg px-3 py-2 text-sm text-fg placeholder:text-muted-fg focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring aria-[invalid=true]:border-danger";
