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

// Griffel (Fluent v9's CSS-in-JS) inserts thousands of one-declaration rules. jsdom has no layout, so they style
// nothing a test can see, yet jsdom's getComputedStyle matches every rule of every sheet each time it is called,
// and Testing Library calls it on an element and each of its ancestors for every getByRole: that cost grew with
// each rendered component and was most of a Settings suite's time. Kept are the rules a test can observe: those
// that define custom properties (the theme a FluentProvider writes, which the theme tests read back) and those
// that hide (a Tab's hidden copy of its label, which must stay out of its accessible name).
if (typeof CSSStyleSheet !== "undefined") {
  const insertRule = CSSStyleSheet.prototype.insertRule;
  const observable = /\{\s*--|display:\s*none|visibility:\s*hidden/;
  CSSStyleSheet.prototype.insertRule = function insertObservableRule(rule: string, index?: number): number {
    if (!observable.test(rule)) return index ?? this.cssRules.length;
    return insertRule.call(this, rule, index);
  };
}
