import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { Component, type ReactNode } from "react";

/** A chart that cannot be drawn (a chunk that failed to load, an odd browser) leaves the table standing. */
export class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <MessageBar intent="warning">
        <MessageBarBody>
          The chart could not be drawn; the table has the same figures. Reload the page to try again.
        </MessageBarBody>
      </MessageBar>
    );
  }
}
