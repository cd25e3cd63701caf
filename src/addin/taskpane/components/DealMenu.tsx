import {
  Menu,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
} from "@fluentui/react-components";
import type { ReactElement } from "react";
import { useI18n } from "../i18n/i18n";

export interface OpenDeal {
  id: string;
  name: string;
}

/** "Which deal?": the open deals of the people on the email, or none, picked from a menu on `trigger`. */
export function DealMenu({
  trigger,
  openDeals,
  onPick,
}: {
  trigger: ReactElement;
  openDeals: OpenDeal[];
  onPick: (dealId: string | null) => void;
}) {
  const { t } = useI18n();
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>{trigger}</MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuGroup>
            <MenuGroupHeader>{t("whichDeal")}</MenuGroupHeader>
            {openDeals.map((deal) => (
              <MenuItem key={deal.id} onClick={() => onPick(deal.id)}>
                {deal.name}
              </MenuItem>
            ))}
            <MenuItem onClick={() => onPick(null)}>{t("noDeal")}</MenuItem>
          </MenuGroup>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
