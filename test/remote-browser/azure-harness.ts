// The page side of the Azure browser tests: functions the Node runner calls with evaluate().
// Azurite and the signing server run on other origins (other ports), so every request is a
// real cross-origin one, under COEP require-corp.
import { azureAbort, azureOpenHeld, azureRead, azureReadHeld, azureRefused, azureSigned, azureWrite } from './azure-checks.js';

const harness = {
  environment: () => ({ isolated: globalThis.crossOriginIsolated, origin: location.origin }),
  azureRead,
  azureWrite,
  azureSigned,
  azureAbort,
  azureOpenHeld,
  azureReadHeld,
  azureRefused,
};

/** The functions the test calls in the page. */
export type AzureHarness = typeof harness;

(globalThis as unknown as { harness: AzureHarness }).harness = harness;
document.getElementById('status')!.textContent = 'ready';
