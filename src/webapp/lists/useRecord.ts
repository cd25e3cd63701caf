import { useQuery, useQueryClient } from "@tanstack/react-query";

/**
 * One record read for its page, and what a save does with the answer: the page shows it at once, and every
 * list of its kind is read again (its row may have moved or left the filters).
 */
export function useRecord<R>(kind: string, list: string, id: string, read: () => Promise<R>) {
  const queryClient = useQueryClient();
  const record = useQuery({ queryKey: [kind, id], queryFn: read });
  const saved = (updated: R) => {
    queryClient.setQueryData([kind, id], updated);
    void queryClient.invalidateQueries({ queryKey: [list] });
  };
  return { record, saved };
}
