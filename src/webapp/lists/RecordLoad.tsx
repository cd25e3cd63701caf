import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiError } from "../../client/problems";
import { EmptyState } from "../components/EmptyState";
import { Loading } from "../components/Loading";
import { ProblemMessage } from "../components/ProblemMessage";
import { useMessages } from "../i18n/language";
import { type RecordKind, recordKindMessages } from "./record-kind-messages";

/** A record's page while it loads, when it is gone, or when it could not be read; else the record. */
export function RecordLoad<R>({
  record,
  noun,
  children,
}: {
  record: UseQueryResult<R>;
  /** Which record it is. */
  noun: RecordKind;
  children: (record: R) => ReactNode;
}) {
  const t = useMessages(recordKindMessages);
  if (record.isPending) return <Loading label={t[`${noun}LoadingOne`]} />;
  if (record.isError) {
    if (record.error instanceof ApiError && record.error.code === "not_found")
      return <EmptyState>{t[`${noun}Missing`]}</EmptyState>;
    return (
      <ProblemMessage
        error={record.error}
        onRetry={() => void record.refetch()}
        what={t[`${noun}OneNotLoaded`]}
      />
    );
  }
  return <>{children(record.data)}</>;
}
