// Types of tools/build.js, for the specs that call it.
export declare const STAMP: string;
/** The files whose change calls for a compilation, relative to root, sorted. */
export declare function inputsOf(root: string): string[];
/** Why dist/ must be compiled again, or undefined when it is current. */
export declare function staleReason(root?: string): string | undefined;
/** Compiles when dist/ is not current (or when forced); returns whether it compiled. */
export declare function buildIfStale(root?: string, options?: { force?: boolean }): boolean;
