import { Button, Caption1 } from "@fluentui/react-components";
import { CheckmarkCircle20Regular } from "@fluentui/react-icons/svg/checkmark-circle";
import type { ComponentProps } from "react";
import { deferred, preloadWhenIdle } from "../deferred";
import { useI18n } from "../i18n/i18n";
import type { CompanyAccount } from "./CompanyAccount";
import type { ContactRatings } from "./ContactRatings";
import type { ComposeQuotes } from "./ComposeQuotes";
import type { ComposeTemplates } from "./ComposeTemplates";
import type { DealMenu } from "./DealMenu";
import type { DealStage } from "./DealStage";
import type { FollowUpChoice } from "./FollowUpChoice";
import type { LoggedLinks } from "./LoggedLinks";
import type { LogOnSendSwitch } from "./LogOnSendSwitch";
import type { ParticipantTabs } from "./ParticipantTabs";
import type { QuickActions } from "./QuickActions";
import type { CompanyHistory, RelationshipGlanceView } from "./RelationshipHistory";

// The controls around a profile, each a chunk of its own with the Fluent components only it uses (the dropdown
// and the menu with their positioning, the switch, the tabs, the toggle buttons): the profile paints without them,
// and they are fetched when the pane is idle, which is mostly before a profile is first shown.

/** A deal's stage; its name as plain text until the dropdown that moves it is there. */
export const DealStageControl = deferred<ComponentProps<typeof DealStage>>(
  () => import(/* webpackChunkName: "deal-stage" */ "./DealStage").then((m) => m.DealStage),
  ({ deal }) => <Caption1>{deal.stage.name}</Caption1>,
);

/** The log button's "which deal?" menu; the button alone until it is there. */
export const DealMenuControl = deferred<ComponentProps<typeof DealMenu>>(
  () => import(/* webpackChunkName: "deal-menu" */ "./DealMenu").then((m) => m.DealMenu),
  ({ trigger }) => trigger,
);

/** Where a logged email or meeting went, as a plain line while the menu that changes it is on its way. */
function LoggedPlain({ interaction, openDeals }: ComponentProps<typeof LoggedLinks>) {
  const { t } = useI18n();
  const deal = interaction.dealId && (openDeals.find((d) => d.id === interaction.dealId)?.name ?? "…");
  return (
    <Button appearance="subtle" icon={<CheckmarkCircle20Regular />} disabled>
      {deal ? t("loggedDeal", { deal }) : t("loggedNoDeal")}
    </Button>
  );
}

/** "Logged · <deal>" and its menu of deals and companies (a logged email's or meeting's). */
export const LoggedLinksControl = deferred<ComponentProps<typeof LoggedLinks>>(
  () => import(/* webpackChunkName: "logged-links" */ "./LoggedLinks").then((m) => m.LoggedLinks),
  (props) => <LoggedPlain {...props} />,
);

/** "Log when sent", in a draft only. */
export const LogOnSendControl = deferred<ComponentProps<typeof LogOnSendSwitch>>(
  () => import(/* webpackChunkName: "log-on-send" */ "./LogOnSendSwitch").then((m) => m.LogOnSendSwitch),
  () => null,
);

/** "Remind me if there is no reply in [3] working days", in a draft only (beside "log when sent"). */
export const FollowUpControl = deferred<ComponentProps<typeof FollowUpChoice>>(
  () => import(/* webpackChunkName: "follow-up" */ "./FollowUpChoice").then((m) => m.FollowUpChoice),
  () => null,
);

/** A tab per person when the email has several; the first person's profile until they are there. */
export const ParticipantTabsControl = deferred<ComponentProps<typeof ParticipantTabs>>(
  () => import(/* webpackChunkName: "participant-tabs" */ "./ParticipantTabs").then((m) => m.ParticipantTabs),
  () => null,
);

/** Note, call and follow-up: the buttons that open the quick forms (a chunk of their own again). */
export const QuickActionsControl = deferred<ComponentProps<typeof QuickActions>>(
  () => import(/* webpackChunkName: "quick-actions" */ "./QuickActions").then((m) => m.QuickActions),
  () => null,
);

/** Templates for a draft: the list, the filled-in preview and the insert (a draft only). */
export const ComposeTemplatesControl = deferred<ComponentProps<typeof ComposeTemplates>>(
  () =>
    import(/* webpackChunkName: "compose-templates" */ "./ComposeTemplates").then((m) => m.ComposeTemplates),
  () => null,
);

/**
 * The sender's company's invoices: overdue, open balance, purchases. Its fetch starts only once its chunk is in,
 * so a profile paints, and Outlook's first load carries none of it; nothing shows until it is there.
 */
export const CompanyAccountControl = deferred<ComponentProps<typeof CompanyAccount>>(
  () => import(/* webpackChunkName: "company-account" */ "./CompanyAccount").then((m) => m.CompanyAccount),
  () => null,
);

/** "Attach quote" for the recipients' open deals (a draft only): its chunk carries the PDF's download and attach. */
export const ComposeQuotesControl = deferred<ComponentProps<typeof ComposeQuotes>>(
  () => import(/* webpackChunkName: "compose-quotes" */ "./ComposeQuotes").then((m) => m.ComposeQuotes),
  () => null,
);

/**
 * The contact's survey scores and the survey link: like the company's account, a chunk whose fetch starts once it
 * is in, so the first paint carries none of it.
 */
export const ContactRatingsControl = deferred<ComponentProps<typeof ContactRatings>>(
  () => import(/* webpackChunkName: "contact-ratings" */ "./ContactRatings").then((m) => m.ContactRatings),
  () => null,
);

/**
 * The person's relationship at a glance and their company's recent history: a chunk whose fetches start once it
 * is in, like the company's account, so the first paint carries none of it.
 */
const relationshipChunk = () =>
  import(/* webpackChunkName: "relationship-history" */ "./RelationshipHistory");
export const RelationshipGlanceControl = deferred<ComponentProps<typeof RelationshipGlanceView>>(
  () => relationshipChunk().then((m) => m.RelationshipGlanceView),
  () => null,
);
/** The company's recent history, under the person's: the same chunk as the glance. */
export const CompanyHistoryControl = deferred<ComponentProps<typeof CompanyHistory>>(
  () => relationshipChunk().then((m) => m.CompanyHistory),
  () => null,
);

/** Fetches the profile's controls once the pane is idle; returns the cancel. */
export const preloadProfileControls = () =>
  preloadWhenIdle(
    DealStageControl.preload,
    DealMenuControl.preload,
    LoggedLinksControl.preload,
    LogOnSendControl.preload,
    FollowUpControl.preload,
    ParticipantTabsControl.preload,
    QuickActionsControl.preload,
    ComposeTemplatesControl.preload,
    CompanyAccountControl.preload,
    ComposeQuotesControl.preload,
    ContactRatingsControl.preload,
    RelationshipGlanceControl.preload,
    CompanyHistoryControl.preload,
  );
