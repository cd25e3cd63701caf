import type { LookupResult } from "../../../shared/people";

/** A record the pane knows by name: one of the people's open deals, or their company. */
export interface NamedRecord {
  id: string;
  name: string;
}

/**
 * Every open deal of everyone looked up (on an email, at a meeting), once each: the candidates the rep links a log
 * to.
 */
export function openDealsOf(results: readonly LookupResult[]): NamedRecord[] {
  return [
    ...new Map(
      results.flatMap((r) => r.contact?.openDeals ?? []).map((d) => [d.id, { id: d.id, name: d.name }]),
    ).values(),
  ];
}

/** The companies of everyone looked up, once each: what a logged email or meeting can be linked to. */
export function companiesOf(results: readonly LookupResult[]): NamedRecord[] {
  return [
    ...new Map(
      results
        .flatMap((r) => (r.contact?.company ? [r.contact.company] : []))
        .map((c) => [c.id, { id: c.id, name: c.name }]),
    ).values(),
  ];
}
