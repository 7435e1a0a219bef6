/** The checks of .size-limit.mjs, as test/size/budgets.test.ts reads them. */
declare const checks: ReadonlyArray<{ readonly name: string; readonly limit: string }>;
export default checks;
