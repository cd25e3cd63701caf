import { type ComponentProps, Suspense, lazy } from "react";
import { useCustomFieldDefinitions } from "../hooks/useCustomFields";
import type { CustomFields as CustomFieldsView } from "./CustomFields";

// The fields' code loads only where the organisation defines some: a profile paints without it.
const CustomFields = lazy(() =>
  import(/* webpackChunkName: "custom-fields", webpackPrefetch: true */ "./CustomFields").then((m) => ({
    default: m.CustomFields,
  })),
);

/** A record's custom fields, or nothing at all while the organisation defines none for its kind. */
export function CustomFieldsSlot(props: ComponentProps<typeof CustomFieldsView>) {
  const definitions = useCustomFieldDefinitions(props.entity);
  if (definitions.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <CustomFields {...props} />
    </Suspense>
  );
}
