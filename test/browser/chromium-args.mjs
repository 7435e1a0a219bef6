// The switches every Chromium the tests and benchmarks launch runs with: headless in a
// container (no sandbox, no GPU, /dev/shm small) and quiet (no first-run pages, no background
// networking, updates or sync, no QUIC), so nothing but the page under test uses the machine.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
