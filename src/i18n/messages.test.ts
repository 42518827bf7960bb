import { describe, expect, it } from "vitest";
import en from "./messages/en.json";
import es from "./messages/es.json";
import { flattenMessages } from "../../tests/support/flatten-messages";


const placeholders = (s: string) => [...s.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();

describe("messages", () => {
  const enFlat = flattenMessages(en);
  const esFlat = flattenMessages(es);

  it("Spanish has exactly the English keys (the second locale is complete)", () => {
    expect(Object.keys(esFlat).sort()).toEqual(Object.keys(enFlat).sort());
  });

  it("no message is empty, and translations keep the same placeholders", () => {
    for (const [key, value] of Object.entries(enFlat)) {
      expect(value.trim(), `en ${key}`).not.toBe("");
      expect(esFlat[key]?.trim(), `es ${key}`).not.toBe("");
      expect(placeholders(esFlat[key] ?? ""), `placeholders of ${key}`).toEqual(placeholders(value));
    }
  });

  it("every error reason a service can return has a message", () => {
    const reasons = ["generic", "notFound", "forbidden", "roleTooLow", "tenantSuspended", "lastOwner", "useLeave", "slugTaken", "emailTaken", "alreadyMember",
      "invitationAccepted", "invitationExpired", "invitationRevoked", "invitationOtherEmail", "rateLimited", "invalidInput", "payloadTooLarge",
      "providerUnauthorized", "providerRejected", "providerTimeout", "providerUnreachable", "credentialUnusable",
      "jobsUnavailable", "deadLetterNotFound", "deadLetterAlreadyReplayed", "deadLetterDiscarded",
      // key rotation (services/key-rotation) and the failure reasons its history shows
      "rotationInProgress", "rollbackUnavailable", "confirmationMismatch", "keyNotRetired", "keyDestroyTooEarly",
      "undecryptableSecret", "activeVersionChanged", "staleDataKeysRemain", "checkpointMoved"];
    for (const r of reasons) expect(enFlat[`errors.${r}`], `errors.${r}`).toBeTruthy();
  });
});
