/** The switches every Chromium the tests and benchmarks launch runs with (headless in a container, quiet). */
export const CHROMIUM_ARGS: readonly string[];
