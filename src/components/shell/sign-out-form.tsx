"use client";

import type { ReactNode, Ref } from "react";
import { CsrfPostForm } from "~/components/forms/csrf-post-form";

/** POSTs to Auth.js' sign-out endpoint; Auth.js then redirects to `callbackUrl`. */
export const SignOutForm = ({ callbackUrl, formRef, children }: { callbackUrl: string; formRef?: Ref<HTMLFormElement>; children?: ReactNode }) => (
  <CsrfPostForm action="/api/auth/signout" fields={{ callbackUrl }} formRef={formRef}>
    {children}
  </CsrfPostForm>
);
