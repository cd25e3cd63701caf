import { Field, SearchBox } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";

/** A list's search: what is typed becomes the `q` filter once typing pauses, not on every key. */
export function ListSearch({
  label,
  value,
  onSearch,
}: {
  label: string;
  value: string;
  onSearch(q: string | undefined): void;
}) {
  const [text, setText] = useState(value);
  const search = useRef(onSearch);
  search.current = onSearch;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => search.current(text.trim() || undefined), 300);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <Field label={label}>
      <SearchBox value={text} onChange={(_, d) => setText(d.value)} />
    </Field>
  );
}
