// The scenarios inside a dedicated worker, where OPFS files are synchronous.
import { scenarios, type ScenarioName } from './scenarios.js';

self.onmessage = async (event: MessageEvent<{ name: ScenarioName; args: unknown[] }>) => {
  const { name, args } = event.data;
  try {
    const run = scenarios[name] as (...a: unknown[]) => Promise<unknown>;
    postMessage({ ok: await run(...args) });
  } catch (error) {
    postMessage({ error: `${(error as Error).name}: ${(error as Error).message}` });
  }
};
