import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { translate } from "../../../shared/languages";
import type { Segment } from "../../../shared/segments";
import { DownloadButtons } from "../../components/DownloadButtons";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useMessages } from "../../i18n/language";
import type { PageProps } from "../../navigation";
import { navigate } from "../../router";
import { useWebApp } from "../../services";
import { SEGMENTS_PATH } from "../paths";
import { ConfirmDialog } from "../settings/ConfirmDialog";
import { CopyableLink } from "../settings/CopyableLink";
import { SegmentEditor } from "./SegmentEditor";
import { segmentMessages } from "./segment-messages";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  meta: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center", flexWrap: "wrap" },
  shared: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

const FORMATS = [
  { format: "Csv", label: "CSV" },
  { format: "Xlsx", label: "XLSX" },
  { format: "Vcf", label: "vCard" },
] as const;

/**
 * The organisation's segments: every member reads and exports them, their maker or an admin changes them. A
 * segment's own path (/app/segments/<id>) opens it, so a link to it can be shared.
 */
export default function SegmentsPage({ subpath }: PageProps) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(segmentMessages);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const segments = useQuery({ queryKey: ["segments"], queryFn: () => api("listSegments", {}) });
  const items = segments.data?.items ?? [];
  const open = subpath ? items.find((s) => s.id === subpath) : undefined;
  const close = () => {
    setCreating(false);
    if (subpath) navigate(SEGMENTS_PATH);
  };
  return (
    <div className={styles.page}>
      <Section
        title={t.title}
        actions={
          !creating && !open ? (
            <Button appearance="primary" onClick={() => setCreating(true)}>
              {t.newSegment}
            </Button>
          ) : undefined
        }
      >
        <Text className={styles.meta}>{t.intro}</Text>
        {creating && <SegmentEditor segment={null} onDone={close} />}
        {segments.isPending ? (
          <Loading label={t.loading} />
        ) : segments.isError ? (
          <ProblemMessage error={segments.error} what={t.notLoaded} onRetry={() => void segments.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState>{t.none}</EmptyState>
        ) : (
          <Table aria-label={t.title} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.name}</TableHeaderCell>
                <TableHeaderCell>{t.description}</TableHeaderCell>
                <TableHeaderCell>{t.actions}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((segment) => (
                <TableRow key={segment.id}>
                  <TableCell>{segment.name}</TableCell>
                  <TableCell>{segment.description ?? ""}</TableCell>
                  <TableCell>
                    <div className={styles.actions}>
                      <Button
                        size="small"
                        aria-label={translate(t.editSegment, { name: segment.name })}
                        onClick={() => navigate(`${SEGMENTS_PATH}/${segment.id}`)}
                      >
                        {t.edit}
                      </Button>
                      {segment.canEdit && (
                        <Button
                          size="small"
                          aria-label={translate(t.deleteSegment, { name: segment.name })}
                          onClick={() => setDeleting(segment)}
                        >
                          {t.delete}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
      {open && <OpenSegment key={open.id} segment={open} onDone={close} />}
      {deleting && <DeleteSegment key={deleting.id} segment={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}

/** Asks before deleting a segment for everyone; closes once it is gone. */
function DeleteSegment({ segment, onClose }: { segment: Segment; onClose(): void }) {
  const { api } = useWebApp();
  const t = useMessages(segmentMessages);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api("deleteSegment", { params: { id: segment.id } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["segments"] });
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={t.deleteTitle}
      text={translate(t.deleteText, { name: segment.name })}
      confirm={t.delete}
      pending={t.deleting}
      change={remove}
      what={t.notDeleted}
      onClose={onClose}
    />
  );
}

/** One segment: its editor (or, for a colleague's, its count), its exports and where to reach it. */
function OpenSegment({ segment, onDone }: { segment: Segment; onDone(): void }) {
  const styles = useStyles();
  const { files } = useWebApp();
  const t = useMessages(segmentMessages);
  const origin = window.location.origin;
  return (
    <Section title={segment.name}>
      {segment.canEdit ? (
        <SegmentEditor segment={segment} onDone={onDone} />
      ) : (
        <>
          <Text className={styles.meta}>{t.readOnly}</Text>
          <Button onClick={onDone}>{t.cancel}</Button>
        </>
      )}
      <DownloadButtons
        formats={FORMATS.map((f) => ({
          ...f,
          name: translate(t.exportSegment, { name: segment.name, format: f.label }),
        }))}
        download={(format) => files(`exportSegment${format}`, { params: { id: segment.id } })}
      />
      <div className={styles.shared}>
        <Text className={styles.meta}>{t.shared}</Text>
        <CopyableLink label={t.pageLink} link={`${origin}${SEGMENTS_PATH}/${segment.id}`} />
        <CopyableLink label={t.membersLink} link={`${origin}/api/v1/segments/${segment.id}/members`} />
        <CopyableLink
          label={t.changesLink}
          link={`${origin}/api/v1/segments/${segment.id}/changes?cursor=0`}
        />
      </div>
    </Section>
  );
}
