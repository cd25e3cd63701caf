import { Caption1 } from "@fluentui/react-components";
import type { ComponentProps } from "react";
import { deferred, preloadWhenIdle } from "../deferred";
import type { DealMenu } from "./DealMenu";
import type { DealStage } from "./DealStage";
import type { LogOnSendSwitch } from "./LogOnSendSwitch";

// The controls of a profile, each a chunk of its own with the Fluent components only it uses (the dropdown and
// the menu with their positioning, the switch): the profile paints without them, and they are fetched when the
// pane is idle, which is mostly before a profile is first shown.

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

/** "Log when sent", in a draft only. */
export const LogOnSendControl = deferred<ComponentProps<typeof LogOnSendSwitch>>(
  () => import(/* webpackChunkName: "log-on-send" */ "./LogOnSendSwitch").then((m) => m.LogOnSendSwitch),
  () => null,
);

/** Fetches the profile's controls once the pane is idle; returns the cancel. */
export const preloadProfileControls = () =>
  preloadWhenIdle(DealStageControl.preload, DealMenuControl.preload, LogOnSendControl.preload);
