// Types for manifest-origin.js, which stays JavaScript so webpack.config.js can require it as it is.

/** The origin manifest.xml is written for: the webpack dev server. */
export declare const DEV_ORIGIN: string;

/** `value` as an https origin (no path, query, fragment or credentials); throws a message saying what is wrong. */
export declare function parseOrigin(value: unknown): string;

/** manifest.xml with every URL on DEV_ORIGIN moved to `origin`; throws as parseOrigin does. */
export declare function manifestForOrigin(xml: string, origin: string): string;
