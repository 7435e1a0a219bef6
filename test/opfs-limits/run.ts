// Runs a scenario of scenarios.ts in the harness page, on the page itself or in a dedicated worker.
import type { PageDriver } from '../browser/driver.js';
import type { ScenarioName, scenarios } from './scenarios.js';

type Scenarios = typeof scenarios;

/** Runs `scenarios[name](...args)` on the page (`'page'`) or in a dedicated worker it starts. */
export function runScenario<K extends ScenarioName>(
  page: PageDriver,
  where: 'page' | 'worker',
  name: K,
  ...args: Parameters<Scenarios[K]>
): Promise<Awaited<ReturnType<Scenarios[K]>>> {
  return page.evaluate(
    ([where, name, args]) => {
      const harness = (globalThis as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness;
      return harness[where === 'page' ? 'onPage' : 'inWorker']!(name, ...args);
    },
    [where, name, args] as const,
  ) as Promise<Awaited<ReturnType<Scenarios[K]>>>;
}
