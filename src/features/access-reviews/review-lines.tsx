import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { Table, Td, Th, THead } from "~/components/ui/table";
import { PROVIDER_OPTIONS, providerNameKey, type ProviderOption } from "~/lib/provider-name";
import type { RouterOutputs } from "~/trpc/react";
import { DecisionButtons, type LineKind } from "./decision-buttons";

type Review = RouterOutputs["accessReview"]["get"];
type Item = Review["items"][number];
type ItemOf<K extends Item["kind"]> = Extract<Item, { kind: K }>;

const KIND_KEY: Record<Item["kind"], LineKind> = { member: "member", invitation: "invitation", "provider-key": "providerKey" };
const ROLE_VARIANT = { OWNER: "accent", ADMIN: "success", MEMBER: "neutral", VIEWER: "neutral" } as const;

/** A date cell: the short localised date in a <time>, or "Never". */
const When = ({ date }: { date: Date | null }) => {
  const t = useTranslations("accessReviews");
  const format = useFormatter();
  return date ? <time dateTime={date.toISOString()}>{format.dateTime(date, "short")}</time> : <span className="text-muted-fg">{t("never")}</span>;
};

const RoleCell = ({ role }: { role: keyof typeof ROLE_VARIANT }) => {
  const t = useTranslations("roles");
  return <Badge variant={ROLE_VARIANT[role]}>{t(role)}</Badge>;
};

/** What a line is called in its buttons and dialog. */
const useLineLabel = () => {
  const t = useTranslations("accessReviews");
  return (item: Item) => (item.kind === "invitation" && !item.label ? t("anyoneWithLink") : item.label);
};

/** The decision cell: the decision and who made it, and the buttons still allowed. */
const DecisionCell = ({ item, tenantSlug, reviewId, canDecide }: { item: Item; tenantSlug: string; reviewId: string; canDecide: boolean }) => {
  const t = useTranslations("accessReviews");
  const label = useLineLabel()(item);
  const buttons = (canKeep: boolean) => (
    <DecisionButtons tenantSlug={tenantSlug} reviewId={reviewId} itemId={item.id} kind={KIND_KEY[item.kind]} label={label} canKeep={canKeep} canRevoke={!item.isSelf} />
  );
  return (
    <div className="flex flex-col items-start gap-2">
      {item.decision ? (
        <span className="flex flex-wrap items-center gap-2">
          <Badge variant={item.decision === "keep" ? "success" : "danger"}>{item.decision === "keep" ? t("kept") : t("revoked")}</Badge>
          {item.decidedBy ? <span className="text-xs text-muted-fg">{t("decidedBy", { who: item.decidedBy })}</span> : null}
        </span>
      ) : (
        <span className="text-muted-fg">{t("undecided")}</span>
      )}
      {/* A kept line may still be revoked; a revoked one is final. */}
      {canDecide && item.decision === null ? buttons(true) : null}
      {canDecide && item.decision === "keep" && !item.isSelf ? buttons(false) : null}
      {canDecide && item.isSelf && item.decision === null ? <p className="text-xs text-muted-fg">{t("selfNote")}</p> : null}
    </div>
  );
};

const Section = ({ kind, count, headers, children }: { kind: LineKind; count: number; headers: string[]; children: ReactNode }) => {
  const t = useTranslations("accessReviews");
  const id = `review-${kind}-title`;
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3">
      <h3 id={id} className="text-lg font-semibold">
        {t(`kinds.${kind}.title`)} <span className="text-muted-fg">({count})</span>
      </h3>
      {count === 0 ? (
        <p className="text-muted-fg">{t(`kinds.${kind}.empty`)}</p>
      ) : (
        <Table>
          <caption className="sr-only">{t(`kinds.${kind}.caption`)}</caption>
          <THead>
            <tr>
              {headers.map((h) => (
                <Th key={h}>{h}</Th>
              ))}
            </tr>
          </THead>
          <tbody>{children}</tbody>
        </Table>
      )}
    </section>
  );
};

const toProvider = (p: string): ProviderOption => ((PROVIDER_OPTIONS as readonly string[]).includes(p) ? (p as ProviderOption) : "openai-compatible");

/** The lines of a review grouped by kind, each with its decision (and Keep / Revoke while the caller may decide). */
export const ReviewLines = ({ tenantSlug, review, canDecide }: { tenantSlug: string; review: Review; canDecide: boolean }) => {
  const t = useTranslations("accessReviews");
  const tc = useTranslations("accessReviews.columns");
  const tp = useTranslations("providers.providerNames");
  const labelOf = useLineLabel();
  const members = review.items.filter((i): i is ItemOf<"member"> => i.kind === "member");
  const invitations = review.items.filter((i): i is ItemOf<"invitation"> => i.kind === "invitation");
  const keys = review.items.filter((i): i is ItemOf<"provider-key"> => i.kind === "provider-key");
  const decision = (item: Item) => (
    <Td>
      <DecisionCell item={item} tenantSlug={tenantSlug} reviewId={review.id} canDecide={canDecide} />
    </Td>
  );
  return (
    <div className="flex flex-col gap-8">
      <Section kind="member" count={members.length} headers={[tc("member"), tc("role"), tc("joined"), tc("lastActive"), tc("decision")]}>
        {members.map((m) => (
          <tr key={m.id}>
            <Td>
              <span className="block font-medium">
                {m.detail.name ?? m.label} {m.isSelf ? <span className="text-muted-fg">{t("you")}</span> : null}
              </span>
              <span className="block break-all text-xs text-muted-fg">{m.label}</span>
            </Td>
            <Td>
              <RoleCell role={m.detail.role} />
            </Td>
            <Td>
              <When date={m.detail.joinedAt} />
            </Td>
            <Td>
              <When date={m.detail.lastActiveAt} />
            </Td>
            {decision(m)}
          </tr>
        ))}
      </Section>
      <Section kind="invitation" count={invitations.length} headers={[tc("recipient"), tc("role"), tc("invitedBy"), tc("expires"), tc("decision")]}>
        {invitations.map((i) => (
          <tr key={i.id}>
            <Td className="break-all font-medium">{labelOf(i)}</Td>
            <Td>
              <RoleCell role={i.detail.role} />
            </Td>
            <Td className="break-all">{i.detail.invitedBy ?? t("deletedUser")}</Td>
            <Td>
              <When date={i.detail.expiresAt} />
            </Td>
            {decision(i)}
          </tr>
        ))}
      </Section>
      <Section kind="providerKey" count={keys.length} headers={[tc("name"), tc("provider"), tc("key"), tc("createdBy"), tc("lastUsed"), tc("decision")]}>
        {keys.map((k) => (
          <tr key={k.id}>
            <Td className="font-medium">{k.label}</Td>
            <Td>{tp(providerNameKey(toProvider(k.detail.provider)))}</Td>
            <Td>
              <span aria-hidden="true" className="font-mono">
                ••••{k.detail.last4}
              </span>
              <span className="sr-only">{t("maskedKey", { last4: k.detail.last4 })}</span>
            </Td>
            <Td className="break-all">{k.detail.createdBy ?? t("deletedUser")}</Td>
            <Td>
              <When date={k.detail.lastUsedAt} />
            </Td>
            {decision(k)}
          </tr>
        ))}
      </Section>
    </div>
  );
};
