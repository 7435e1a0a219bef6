// The page side of the OPFS limits tests: runs a scenario on the page or in a dedicated worker.
import { scenarios, type ScenarioName } from './scenarios.js';

type Scenarios = typeof scenarios;

const harness = {
  environment: () => ({ isolated: globalThis.crossOriginIsolated }),

  /** Runs scenario `name` on this page. */
  onPage<K extends ScenarioName>(name: K, ...args: Parameters<Scenarios[K]>): ReturnType<Scenarios[K]> {
    return (scenarios[name] as (...a: unknown[]) => ReturnType<Scenarios[K]>)(...args);
  },

  /** Runs scenario `name` in a new dedicated worker. */
  async inWorker<K extends ScenarioName>(name: K, ...args: Parameters<Scenarios[K]>): Promise<Awaited<ReturnType<Scenarios[K]>>> {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    try {
      const answer = await new Promise<{ ok?: Awaited<ReturnType<Scenarios[K]>>; error?: string }>((resolve) => {
        worker.onmessage = (event: MessageEvent<{ ok?: Awaited<ReturnType<Scenarios[K]>>; error?: string }>) =>
          resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message || 'the worker failed' });
        worker.postMessage({ name, args });
      });
      if (answer.error !== undefined) throw new Error(answer.error);
      return answer.ok!;
    } finally {
      worker.terminate();
    }
  },

  /** The folders and files left at the root of OPFS. */
  async rootEntries(): Promise<string[]> {
    const names: string[] = [];
    const root = await navigator.storage.getDirectory();
    for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names.sort();
  },
};

/** The functions the test calls in the page. */
export type Harness = typeof harness;

(globalThis as unknown as { harness: Harness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
