import { z } from "zod";

// Imported first by every page's entry. Zod compiles object schemas with `new Function` where it may, and probes
// for that with a `new Function("")` that the pages' script policy (no eval) refuses: the refusal is caught, but
// the browser reports it as a policy violation on every page load. Parsing without compiling is what the pages
// get anyway; the server, which has no such policy, keeps the compiled parsers.
z.config({ jitless: true });
