import { registerClassicOnSend } from "../office/classic-on-send";
import { createOfficeMailbox } from "../office/office-mailbox";
import { unfilledFieldsHold } from "./unfilled-on-send";

registerClassicOnSend(() => unfilledFieldsHold(createOfficeMailbox()));
