import { z } from "zod";
import { IsoDateTime } from "../../shared/common";
import { parseMailbox } from "../../shared/email-address";
import { type LookupResult, LookupResult as LookupResultSchema } from "../../shared/people";
import type { KeyValueStorage } from "./storage";

/** Profiles the rep saw recently, for when the server cannot be reached. */
export interface ProfileCache {
  /** Keeps the known people of a lookup, and forgets any address the server no longer knows. */
  remember(results: readonly LookupResult[]): void;
  /**
   * What is kept for these addresses, each as the server last answered, or null when none of them is kept.
   * An address without a kept profile comes back with neither contact nor suggestion.
   */
  recall(addresses: readonly string[]): { results: LookupResult[]; savedAt: string } | null;
  clear(): void;
}

export interface ProfileCacheOptions {
  storage: KeyValueStorage;
  owner: string;
  /** Web Storage holds about 5 MB per origin: a bounded set of trimmed profiles stays well inside it. */
  maxProfiles?: number;
  maxAgeMs?: number;
  now?: () => number;
}

const Kept = z.array(z.object({ email: z.string(), savedAt: IsoDateTime, result: LookupResultSchema }));
type Kept = z.infer<typeof Kept>;

const KEPT_INTERACTIONS = 10;
const EXCERPT_CHARS = 200;

export function createProfileCache({
  storage,
  owner,
  maxProfiles = 100,
  maxAgeMs = 14 * 24 * 3600_000,
  now = Date.now,
}: ProfileCacheOptions): ProfileCache {
  const key = `rapport.profiles.v1:${owner.toLowerCase()}`;

  const read = (): Kept => {
    try {
      const parsed = Kept.safeParse(JSON.parse(storage.getItem(key) ?? "[]"));
      if (!parsed.success) return [];
      return parsed.data.filter((k) => now() - Date.parse(k.savedAt) <= maxAgeMs);
    } catch {
      return [];
    }
  };

  const write = (kept: Kept) => {
    // Full storage sheds the oldest half and tries once more; a cache that cannot be written is only a cache.
    for (const list of [kept, kept.slice(0, Math.ceil(kept.length / 2))]) {
      try {
        storage.setItem(key, JSON.stringify(list));
        return;
      } catch {
        /* try smaller */
      }
    }
  };

  return {
    remember(results) {
      const fresh = results.filter((r) => r.contact !== null);
      // Every address answered is replaced: one the server no longer knows (deleted, erased) is dropped.
      const addresses = new Set(results.map((r) => r.email.toLowerCase()));
      const before = read();
      if (fresh.length === 0 && !before.some((k) => addresses.has(k.email))) return;
      const savedAt = new Date(now()).toISOString();
      const kept = [
        ...fresh.map((r) => ({ email: r.email.toLowerCase(), savedAt, result: trim(r) })),
        ...before.filter((k) => !addresses.has(k.email)),
      ];
      write(kept.slice(0, maxProfiles));
    },
    recall(addresses) {
      const kept = new Map(read().map((k) => [k.email, k]));
      const found = addresses.map((a) => kept.get(bareAddress(a)));
      const saved = found.filter((k) => k !== undefined);
      if (saved.length === 0) return null;
      return {
        results: addresses.map(
          (a, i) => found[i]?.result ?? { email: bareAddress(a), contact: null, suggestion: null },
        ),
        // The oldest of what is shown: the pane says "as of" the least fresh profile.
        savedAt: saved.map((k) => k.savedAt).sort()[0] ?? new Date(now()).toISOString(),
      };
    },
    clear() {
      storage.removeItem(key);
    },
  };
}

/** `"Anna Berg" <Anna@X.example>` → `anna@x.example`, as the lookup keys its results. */
const bareAddress = (mailbox: string): string =>
  parseMailbox(mailbox)?.address ?? mailbox.trim().toLowerCase();

/** The profile as shown offline: the latest interactions with short excerpts, enough to recognise them. */
function trim(result: LookupResult): LookupResult {
  if (!result.contact) return result;
  return {
    ...result,
    contact: {
      ...result.contact,
      recentInteractions: result.contact.recentInteractions.slice(0, KEPT_INTERACTIONS).map((i) => ({
        ...i,
        body: i.body && i.body.length > EXCERPT_CHARS ? `${i.body.slice(0, EXCERPT_CHARS)}…` : i.body,
      })),
    },
  };
}
