import {
  Button,
  Caption1,
  Menu,
  MenuDivider,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemCheckbox,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircle20Regular } from "@fluentui/react-icons/svg/checkmark-circle";
import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Interaction, InteractionLinkAdd, InteractionLinkRemove } from "../../../shared/interactions";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";
import type { NamedRecord } from "./people-records";

const useStyles = makeStyles({
  links: {
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    gap: tokens.spacingVerticalXS,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

type Change = { add: InteractionLinkAdd } | { remove: InteractionLinkRemove };

/** The names of records the pane was not given, read by id (once each, kept while the pane is open). */
function useNames(kind: "deal" | "company", known: NamedRecord[], ids: string[]): Map<string, string> {
  const { api } = useServices();
  const names = new Map(known.map((r) => [r.id, r.name]));
  const missing = ids.filter((id) => !names.has(id));
  const reads = useQueries({
    queries: missing.map((id) => ({
      queryKey: [`${kind}-name`, id],
      queryFn: async () =>
        kind === "deal"
          ? (await api("getDeal", { params: { id } })).name
          : (await api("getCompany", { params: { id } })).name,
      staleTime: Infinity,
    })),
  });
  missing.forEach((id, i) => names.set(id, reads[i]?.data ?? "…"));
  return names;
}

/**
 * "Logged · <deal>", and a menu to change where the logged email or meeting goes: its primary deal, more deals,
 * the people's companies, or no deal at all. Each change goes to the server at once (the outbox carries logs only,
 * so without a connection the menu says so instead of promising to send it later).
 */
export function LoggedLinks({
  interaction,
  openDeals,
  companies,
  offline,
}: {
  interaction: Interaction;
  /** The open deals of the people on it: what it can be linked to from here. */
  openDeals: NamedRecord[];
  /** The companies of the people on it. */
  companies: NamedRecord[];
  /** The pane shows profiles kept from before: Rapport cannot be reached. */
  offline: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [answered, setAnswered] = useState<Interaction | null>(null);
  // The server's latest answer, until the pane reads the interaction again (newer, or as new).
  const shown = answered && answered.version >= interaction.version ? answered : interaction;
  const change = useMutation({
    mutationFn: async (changes: Change[]) => {
      let next = shown;
      for (const c of changes)
        next =
          "add" in c
            ? await api("linkInteraction", { params: { id: shown.id }, body: c.add })
            : await api("unlinkInteraction", { params: { id: shown.id }, query: c.remove });
      return next;
    },
    onSuccess: (next) => {
      setAnswered(next);
      // The profiles' histories, the company's and today's lists show the links too.
      void queryClient.invalidateQueries({ queryKey: ["lookup"] });
      void queryClient.invalidateQueries({ queryKey: ["company-history"] });
      void queryClient.invalidateQueries({ queryKey: ["meetingBriefs"] });
    },
  });

  const dealIds = [...new Set([...shown.dealIds, ...openDeals.map((d) => d.id)])];
  const dealNames = useNames("deal", openDeals, dealIds);
  const companyIds = [...new Set([...shown.companies.map((c) => c.id), ...companies.map((c) => c.id)])];
  const companyNames = useNames("company", companies, companyIds);
  const viaPeople = new Set(shown.companies.filter((c) => c.via === "contact").map((c) => c.id));
  const linkedCompanies = shown.companies.filter((c) => c.via === "link").map((c) => c.id);
  const primary = shown.dealId;
  const label =
    primary === null ? t("loggedNoDeal") : t("loggedDeal", { deal: dealNames.get(primary) ?? "…" });

  const onChecked = (name: string, checked: string[]) => {
    if (name === "primary") {
      const [dealId] = checked;
      if (dealId && dealId !== primary) change.mutate([{ add: { dealId, primary: true } }]);
      return;
    }
    if (name !== "deals" && name !== "companies") return;
    const before =
      name === "deals"
        ? shown.dealIds.filter((id) => id !== primary)
        : shown.companies.filter((c) => c.via === "link").map((c) => c.id);
    const record = (id: string) => (name === "deals" ? { dealId: id } : { companyId: id });
    const added = checked.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !checked.includes(id));
    change.mutate([
      ...added.map((id) => ({ add: record(id) })),
      ...removed.map((id) => ({ remove: record(id) })),
    ]);
  };

  const trigger = (
    <Button
      appearance="subtle"
      icon={change.isPending ? <Spinner size="tiny" /> : <CheckmarkCircle20Regular />}
      disabledFocusable={change.isPending || offline}
    >
      {change.isPending ? t("linksSaving") : label}
    </Button>
  );
  return (
    <div className={styles.links}>
      {offline ? (
        trigger
      ) : (
        <Menu
          checkedValues={{
            primary: primary ? [primary] : [],
            deals: shown.dealIds.filter((id) => id !== primary),
            companies: linkedCompanies,
            people: [...viaPeople],
          }}
          onCheckedValueChange={(_, data) => onChecked(data.name, data.checkedItems)}
        >
          <MenuTrigger disableButtonEnhancement>{trigger}</MenuTrigger>
          <MenuPopover>
            <MenuList>
              {dealIds.length > 0 && (
                <MenuGroup>
                  <MenuGroupHeader>{t("linksPrimary")}</MenuGroupHeader>
                  {dealIds.map((id) => (
                    <MenuItemRadio key={id} name="primary" value={id}>
                      {dealNames.get(id)}
                    </MenuItemRadio>
                  ))}
                </MenuGroup>
              )}
              {dealIds.some((id) => id !== primary) && primary !== null && (
                <MenuGroup>
                  <MenuGroupHeader>{t("linksAlso")}</MenuGroupHeader>
                  {dealIds
                    .filter((id) => id !== primary)
                    .map((id) => (
                      <MenuItemCheckbox key={id} name="deals" value={id}>
                        {dealNames.get(id)}
                      </MenuItemCheckbox>
                    ))}
                </MenuGroup>
              )}
              {companyIds.length > 0 && (
                <MenuGroup>
                  <MenuGroupHeader>{t("linksCompanies")}</MenuGroupHeader>
                  {companyIds.map((id) =>
                    viaPeople.has(id) ? (
                      // Linked through its people for as long as they work there: nothing to take off.
                      <MenuItemCheckbox key={id} name="people" value={id} disabled>
                        {t("linksThroughPeople", { company: companyNames.get(id) ?? "…" })}
                      </MenuItemCheckbox>
                    ) : (
                      <MenuItemCheckbox key={id} name="companies" value={id}>
                        {companyNames.get(id)}
                      </MenuItemCheckbox>
                    ),
                  )}
                </MenuGroup>
              )}
              {shown.dealIds.length > 0 && (
                <>
                  <MenuDivider />
                  <MenuItem
                    onClick={() => change.mutate(shown.dealIds.map((dealId) => ({ remove: { dealId } })))}
                  >
                    {t("linksUnlinkDeals")}
                  </MenuItem>
                </>
              )}
            </MenuList>
          </MenuPopover>
        </Menu>
      )}
      <div aria-live="polite">
        {offline && <Caption1 className={styles.muted}>{t("linksNeedConnection")}</Caption1>}
      </div>
      {change.isError && (
        <ErrorMessage
          error={change.error}
          onRetry={() => change.variables && change.mutate(change.variables)}
        />
      )}
    </div>
  );
}
