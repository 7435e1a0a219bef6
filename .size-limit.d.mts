/** The checks of .size-limit.mjs, as test/size/budgets.test.ts reads them. */
declare const checks: ReadonlyArray<{ readonly name: string; readonly limit: string }>;
export default checks;
/** The suffix of a check measuring everything an app may load (dynamic imports inlined). */
export declare const FIRST_USE: string;
/** The suffix of a check built with `__NATIVEFILE_WASM_POOL__: false`. */
export declare const WITHOUT_WASM_POOL: string;
