import type { Table } from "../export/table-file";
import type { DocumentFile } from "../http/route";
import { contactsTableOf, contactsVCardsOf } from "../imports/export";
import { isSegmentMember } from "./filter";
import { type SegmentScope, segmentRow, storedFilter } from "./service";

/**
 * A segment's file is named for it, in characters every header and file system takes ("segment-key-accounts"):
 * the name goes into Content-Disposition, where a quote or a line break would end the header's value.
 */
export function segmentFileName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug ? `segment-${slug}` : "segment";
}

/** The members now (the contact list's export columns, so the file imports again), never a no-marketing one. */
async function membersNow(scope: SegmentScope, id: string) {
  const segment = await segmentRow(scope.db, scope.caller.orgId, id);
  return {
    which: isSegmentMember(scope.caller.orgId, storedFilter(segment), scope.now()),
    name: segmentFileName(segment.name),
  };
}

export async function segmentTable(scope: SegmentScope, id: string): Promise<Table> {
  const { which, name } = await membersNow(scope, id);
  return contactsTableOf(scope, which, name);
}

export async function segmentVCards(scope: SegmentScope, id: string): Promise<DocumentFile> {
  const { which, name } = await membersNow(scope, id);
  return contactsVCardsOf(scope, which, name);
}
