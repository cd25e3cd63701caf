import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { Component, type ReactNode } from "react";
import { useMessages } from "../i18n/language";
import { componentMessages } from "./components-messages";

/** A chart that cannot be drawn (a chunk that failed to load, an odd browser) leaves the table standing. */
export class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return <ChartFailed />;
  }
}

/** A class cannot use the language's hook: the notice is a component of its own. */
function ChartFailed() {
  const t = useMessages(componentMessages);
  return (
    <MessageBar intent="warning">
      <MessageBarBody>{t.chartFailed}</MessageBarBody>
    </MessageBar>
  );
}
