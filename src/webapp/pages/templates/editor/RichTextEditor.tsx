import { Label, Text, Textarea, makeStyles, mergeClasses, tokens, useId } from "@fluentui/react-components";
import { LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { OnChangePlugin } from "@lexical/react/LexicalOnChangePlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { HeadingNode } from "@lexical/rich-text";
import { useEffect, useMemo, useState } from "react";
import { useMessages } from "../../../i18n/language";
import { editorMessages } from "./editor-messages";
import { EditorToolbar } from "./EditorToolbar";
import { isLinkAddress } from "./link-address";
import { MERGE_FIELD_THEME_KEY, MergeFieldNode, registerMergeFieldTokens } from "./merge-field-node";
import { $exportHtml, $loadHtml, editorWouldLose } from "./template-html";

const useStyles = makeStyles({
  editor: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  surface: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderBottomColor: tokens.colorNeutralStrokeAccessible,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  content: {
    minHeight: "12rem",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    outlineStyle: "none",
    ":focus-visible": {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      borderRadius: tokens.borderRadiusMedium,
    },
  },
  disabled: { color: tokens.colorNeutralForegroundDisabled },
  hidden: { display: "none" },
  source: { minHeight: "12rem", fontFamily: tokens.fontFamilyMonospace },
  paragraph: { margin: `0 0 ${tokens.spacingVerticalS} 0` },
  h1: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  h2: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  h3: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  link: { color: tokens.colorBrandForegroundLink },
  underline: { textDecorationLine: "underline" },
  mergeField: {
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
    borderRadius: tokens.borderRadiusSmall,
    padding: `0 ${tokens.spacingHorizontalXXS}`,
  },
});

/** Typed `{{…}}` text, and what stored HTML brings, becomes a merge field token. */
function MergeFieldTokens() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerMergeFieldTokens(editor), [editor]);
  return null;
}

/** Follows the editor's editable state to the form's (a member reading the organisation's template). */
function Editable({ editable }: { editable: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.setEditable(editable), [editor, editable]);
  return null;
}

/** Loads the HTML source back into the editor when the rep leaves it. */
function SourceLoader({ html, source }: { html: string; source: boolean }) {
  const [editor] = useLexicalComposerContext();
  const [wasSource, setWasSource] = useState(source);
  useEffect(() => {
    if (wasSource && !source) editor.update(() => $loadHtml(editor, html), { tag: "history-merge" });
    setWasSource(source);
  }, [editor, html, source, wasSource]);
  return null;
}

export interface RichTextEditorProps {
  /** What the editor is called: its accessible name. */
  label: string;
  /** What the HTML source is called. */
  sourceLabel: string;
  hint?: string;
  /** The body as stored (the server's sanitised HTML), read once: the editor keeps its own text after. */
  html: string;
  disabled: boolean;
  onChange(html: string): void;
}

/**
 * A template body in rich text (Lexical): paragraphs, headings, bold, italic, underline, lists, links and merge
 * fields; or as HTML source. What the rep writes reaches onChange as HTML; stored HTML is read when it mounts, so
 * the caller mounts one per language.
 */
export default function RichTextEditor({
  label,
  sourceLabel,
  hint,
  html,
  disabled,
  onChange,
}: RichTextEditorProps) {
  const styles = useStyles();
  const t = useMessages(editorMessages);
  const labelId = useId("template-body");
  const hintId = useId("template-body-hint");
  // A body the editor would lose parts of opens as its source; the rep may still switch.
  const [openAsSource] = useState(() => editorWouldLose(html));
  const [source, setSource] = useState(openAsSource);
  // The source's own copy: typed there, it is the body; the editor reloads it when the rep switches back.
  const [sourceHtml, setSourceHtml] = useState(html);
  const wouldLose = useMemo(() => source && editorWouldLose(sourceHtml), [source, sourceHtml]);

  const initialConfig = {
    namespace: "rapport-template",
    nodes: [HeadingNode, ListNode, ListItemNode, LinkNode, MergeFieldNode],
    editable: !disabled,
    onError: (error: Error) => {
      throw error;
    },
    theme: {
      paragraph: styles.paragraph,
      heading: { h1: styles.h1, h2: styles.h2, h3: styles.h3 },
      link: styles.link,
      text: { underline: styles.underline },
      [MERGE_FIELD_THEME_KEY]: styles.mergeField,
    },
    editorState: openAsSource
      ? undefined
      : (editor: Parameters<typeof $loadHtml>[0]) => $loadHtml(editor, html),
  };

  return (
    <div className={styles.editor}>
      <Label id={labelId} disabled={disabled}>
        {label}
      </Label>
      <LexicalComposer initialConfig={initialConfig}>
        <EditorToolbar source={source} disabled={disabled} onSource={setSource} />
        <div className={mergeClasses(styles.surface, source && styles.hidden)}>
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                className={mergeClasses(styles.content, disabled && styles.disabled)}
                aria-labelledby={labelId}
                aria-describedby={hint ? hintId : undefined}
                aria-multiline
                role="textbox"
              />
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
        </div>
        <HistoryPlugin />
        <ListPlugin />
        <LinkPlugin validateUrl={isLinkAddress} />
        <MergeFieldTokens />
        <Editable editable={!disabled} />
        <SourceLoader html={sourceHtml} source={source} />
        <OnChangePlugin
          ignoreSelectionChange
          onChange={(_, editor) =>
            editor.getEditorState().read(() => {
              const exported = $exportHtml(editor);
              setSourceHtml(exported);
              onChange(exported);
            })
          }
        />
      </LexicalComposer>
      {source && (
        <Textarea
          className={styles.source}
          aria-label={sourceLabel}
          aria-describedby={hint ? hintId : undefined}
          value={sourceHtml}
          disabled={disabled}
          onChange={(_, d) => {
            setSourceHtml(d.value);
            onChange(d.value);
          }}
        />
      )}
      {wouldLose && <Text size={200}>{t.wouldLose}</Text>}
      {hint && (
        <Text id={hintId} size={200}>
          {hint}
        </Text>
      )}
    </div>
  );
}
