import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiError } from "../../client/problems";
import { EmptyState } from "../components/EmptyState";
import { Loading } from "../components/Loading";
import { ProblemMessage } from "../components/ProblemMessage";

/** A record's page while it loads, when it is gone, or when it could not be read; else the record. */
export function RecordLoad<R>({
  record,
  noun,
  children,
}: {
  record: UseQueryResult<R>;
  noun: string;
  children: (record: R) => ReactNode;
}) {
  if (record.isPending) return <Loading label={`Loading the ${noun}…`} />;
  if (record.isError) {
    if (record.error instanceof ApiError && record.error.code === "not_found")
      return <EmptyState>There is no such {noun}: it may have been deleted.</EmptyState>;
    return (
      <ProblemMessage
        error={record.error}
        onRetry={() => void record.refetch()}
        what={`The ${noun} could not be loaded`}
      />
    );
  }
  return <>{children(record.data)}</>;
}
