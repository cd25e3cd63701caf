import { registerClassicOnSend } from "../office/classic-on-send";

registerClassicOnSend();
