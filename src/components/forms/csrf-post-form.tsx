"use client";

import { useRef, type FormEvent, type ReactNode, type Ref } from "react";
import { getCsrfToken } from "~/lib/csrf-token";

/**
 * A real HTML form POST to an Auth.js endpoint (sign-out, OAuth/OIDC sign-in).
 * The CSRF token is fetched right before submitting so it always matches the
 * current CSRF cookie; the browser then follows Auth.js' redirects.
 */
export const CsrfPostForm = ({
  action,
  fields,
  formRef,
  className,
  children,
}: {
  action: string;
  fields: Record<string, string>;
  formRef?: Ref<HTMLFormElement>;
  className?: string;
  children?: ReactNode;
}) => {
  const tokenRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    try {
      if (tokenRef.current) tokenRef.current.value = await getCsrfToken();
    } catch {
      // Submit anyway: Auth.js answers with its own error page.
    }
    form.submit();
  };

  return (
    <form ref={formRef} method="post" action={action} className={className} onSubmit={(e) => void onSubmit(e)}>
      <input ref={tokenRef} type="hidden" name="csrfToken" defaultValue="" />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
};
