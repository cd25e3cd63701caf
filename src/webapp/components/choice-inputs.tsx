import {
  Combobox as FluentCombobox,
  type ComboboxProps,
  Dropdown as FluentDropdown,
  type DropdownProps,
} from "@fluentui/react-components";
import { forwardRef } from "react";
import { useMessages } from "../i18n/language";
import { componentMessages } from "./components-messages";

/**
 * Fluent's Dropdown and Combobox name their own buttons in English ("Clear selection", "Open") for screen
 * readers; these name them in the reader's language. The web app uses these, never Fluent's directly (lint).
 */
export const Dropdown = forwardRef<HTMLButtonElement, DropdownProps>(function Dropdown(props, ref) {
  const t = useMessages(componentMessages);
  return <FluentDropdown ref={ref} clearButton={{ "aria-label": t.clearSelection }} {...props} />;
});

export const Combobox = forwardRef<HTMLInputElement, ComboboxProps>(function Combobox(props, ref) {
  const t = useMessages(componentMessages);
  return (
    <FluentCombobox
      ref={ref}
      expandIcon={{ "aria-label": t.openChoices }}

      {...props}
    />
  );
});
