import {
  Button,
  Field,
  Input,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  ToolbarToggleButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { CodeRegular } from "@fluentui/react-icons/svg/code";
import { LinkRegular } from "@fluentui/react-icons/svg/link";
import { TextBoldRegular } from "@fluentui/react-icons/svg/text-bold";
import { TextBulletListLtrRegular } from "@fluentui/react-icons/svg/text-bullet-list-ltr";
import { TextItalicRegular } from "@fluentui/react-icons/svg/text-italic";
import { TextNumberListLtrRegular } from "@fluentui/react-icons/svg/text-number-list-ltr";
import { TextUnderlineRegular } from "@fluentui/react-icons/svg/text-underline";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import {
  INSERT_ORDERED_LIST_COMMAND,
  INSERT_UNORDERED_LIST_COMMAND,
  REMOVE_LIST_COMMAND,
} from "@lexical/list";
import { useEffect, useState } from "react";
import { FORMAT_TEXT_COMMAND } from "lexical";
import { useMessages } from "../../../i18n/language";
import {
  type BlockStyle,
  type EditorState,
  $applyLink,
  $insertMergeField,
  $setBlockStyle,
  readEditorState,
  rememberSelection,
} from "./editor-commands";
import { editorMessages } from "./editor-messages";
import { linkAddress } from "./link-address";
import { MergeFieldMenu } from "./MergeFieldMenu";

const useStyles = makeStyles({
  linkForm: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: "18rem" },
  linkActions: { display: "flex", gap: tokens.spacingHorizontalS },
});

const BLOCK_STYLES: readonly BlockStyle[] = ["paragraph", "h1", "h2", "h3"];

/**
 * The editor's toolbar: one tab stop, arrow keys between its buttons (Fluent's toolbar). Ctrl+B, I and U work in
 * the text itself (Lexical's own shortcuts); the buttons show what the selection has.
 */
export function EditorToolbar({
  source,
  disabled,
  onSource,
}: {
  source: boolean;
  disabled: boolean;
  onSource(on: boolean): void;
}) {
  const [editor] = useLexicalComposerContext();
  const t = useMessages(editorMessages);
  const styles = useStyles();
  const [state, setState] = useState<EditorState>(() => readEditorState(editor));
  const [linkOpen, setLinkOpen] = useState(false);
  const [address, setAddress] = useState("");
  const [refused, setRefused] = useState(false);
  // The selection when a popup opened: focus leaves the text for the popup, the change goes where the rep was.
  const [selection, setSelection] = useState<ReturnType<typeof rememberSelection>>(null);
  useEffect(
    () => editor.registerUpdateListener(({ editorState }) => setState(readEditorState(editor, editorState))),
    [editor],
  );
  const rich = !source && !disabled;
  const blockName: Record<BlockStyle, string> = {
    paragraph: t.paragraph,
    h1: t.heading1,
    h2: t.heading2,
    h3: t.heading3,
  };

  const applyLink = (remove: boolean) => {
    const url = remove ? null : linkAddress(address);
    if (!remove && url === null) {
      setRefused(true);
      return;
    }
    editor.update(() => $applyLink(selection, url));
    setLinkOpen(false);
    editor.focus();
  };

  return (
    <Toolbar
      aria-label={t.toolbar}
      checkedValues={{ format: state.formats, source: source ? ["on"] : [] }}
      size="small"
    >
      <ToolbarToggleButton
        aria-label={t.bold}
        title={t.bold}
        name="format"
        value="bold"
        icon={<TextBoldRegular />}
        disabled={!rich}
        onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "bold")}
      />
      <ToolbarToggleButton
        aria-label={t.italic}
        title={t.italic}
        name="format"
        value="italic"
        icon={<TextItalicRegular />}
        disabled={!rich}
        onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "italic")}
      />
      <ToolbarToggleButton
        aria-label={t.underline}
        title={t.underline}
        name="format"
        value="underline"
        icon={<TextUnderlineRegular />}
        disabled={!rich}
        onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "underline")}
      />
      <ToolbarDivider />
      <Menu
        checkedValues={{ block: [state.block] }}
        onOpenChange={(_, d) => d.open && setSelection(rememberSelection(editor))}
      >
        <MenuTrigger disableButtonEnhancement>
          <ToolbarButton aria-label={`${t.textStyle}: ${blockName[state.block]}`} disabled={!rich}>
            {blockName[state.block]}
          </ToolbarButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {BLOCK_STYLES.map((style) => (
              <MenuItemRadio
                key={style}
                name="block"
                value={style}
                onClick={() => {
                  editor.update(() => $setBlockStyle(selection, style));
                  editor.focus();
                }}
              >
                {blockName[style]}
              </MenuItemRadio>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
      <ToolbarToggleButton
        aria-label={t.bulletList}
        title={t.bulletList}
        name="format"
        value="bullet"
        icon={<TextBulletListLtrRegular />}
        disabled={!rich}
        onClick={() =>
          editor.dispatchCommand(
            state.formats.includes("bullet") ? REMOVE_LIST_COMMAND : INSERT_UNORDERED_LIST_COMMAND,
            undefined,
          )
        }
      />
      <ToolbarToggleButton
        aria-label={t.numberedList}
        title={t.numberedList}
        name="format"
        value="number"
        icon={<TextNumberListLtrRegular />}
        disabled={!rich}
        onClick={() =>
          editor.dispatchCommand(
            state.formats.includes("number") ? REMOVE_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND,
            undefined,
          )
        }
      />
      <Popover
        open={linkOpen}
        onOpenChange={(_, d) => {
          if (d.open) {
            setSelection(rememberSelection(editor));
            setAddress(state.link ?? "");
            setRefused(false);
          }
          setLinkOpen(d.open);
        }}
      >
        <PopoverTrigger disableButtonEnhancement>
          <ToolbarButton
            aria-label={t.link}
            title={t.link}
            aria-pressed={state.link !== null}
            icon={<LinkRegular />}
            disabled={!rich}
          />
        </PopoverTrigger>
        <PopoverSurface aria-label={t.link}>
          <form
            className={styles.linkForm}
            onSubmit={(event) => {
              event.preventDefault();
              applyLink(false);
            }}
          >
            <Field
              label={t.linkAddress}
              validationState={refused ? "error" : "none"}
              validationMessage={refused ? t.linkRefused : undefined}
            >
              <Input
                // The address box takes the focus as the box opens, so a keyboard user types straight into it.
                autoFocus
                value={address}
                inputMode="url"
                onChange={(_, d) => {
                  setAddress(d.value);
                  setRefused(false);
                }}
              />
            </Field>
            <div className={styles.linkActions}>
              <Button appearance="primary" type="submit">
                {t.linkApply}
              </Button>
              {state.link !== null && <Button onClick={() => applyLink(true)}>{t.linkRemove}</Button>}
            </div>
          </form>
        </PopoverSurface>
      </Popover>
      <ToolbarDivider />
      <MergeFieldMenu
        disabled={!rich}
        onOpen={() => setSelection(rememberSelection(editor))}
        onInsert={(name) => {
          editor.update(() => $insertMergeField(selection, name));
          editor.focus();
        }}
      />
      <ToolbarDivider />
      <ToolbarToggleButton
        name="source"
        value="on"
        icon={<CodeRegular />}
        disabled={disabled}
        onClick={() => onSource(!source)}
      >
        {t.htmlSource}
      </ToolbarToggleButton>
    </Toolbar>
  );
}
