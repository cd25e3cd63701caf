// jsdom leaves out some globals every browser the pane runs in has; lend Node's own where missing.
import { TextDecoder, TextEncoder } from "node:util";

const globals = globalThis as Record<string, unknown>;
globals.TextEncoder ??= TextEncoder;
globals.TextDecoder ??= TextDecoder;

// jsdom has no layout, so nothing is ever resized: an observer that never fires is exactly right there.
if (typeof window !== "undefined" && !("ResizeObserver" in window)) {
  globals.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
