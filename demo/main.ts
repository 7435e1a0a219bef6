import { BufferOutputStream, BufferReader, defaultMemoryPool, type Buffer } from '../src/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const drop = $('drop');
const picker = $<HTMLInputElement>('picker');
const progress = $<HTMLProgressElement>('progress');
const status = $('status');
const cancel = $<HTMLButtonElement>('cancel');
const hex = $('hex');
const offsetInput = $<HTMLInputElement>('offset');

let stored: { name: string; buffer: Buffer; reader: BufferReader } | undefined;
let controller: AbortController | undefined;

$('isolation').textContent = `crossOriginIsolated: ${globalThis.crossOriginIsolated === true} · pool: ${defaultMemoryPool().backendName}`;

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;

function showPool(): void {
  const pool = defaultMemoryPool();
  $('pool').innerHTML = [
    ['backend', pool.backendName],
    ['allocated', formatBytes(pool.bytesAllocated())],
    ['peak', formatBytes(pool.maxMemory())],
    ['allocations', pool.numAllocations().toLocaleString()],
  ].map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('');
}

function showHex(offset: number): void {
  if (stored === undefined) return;
  const bytes = stored.reader.readAtSync(offset, 256);
  const lines: string[] = [];
  for (let row = 0; row < bytes.length; row += 16) {
    const slice = bytes.subarray(row, row + 16);
    const hexPart = Array.from(slice, (b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47);
    const text = Array.from(slice, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(offset + row).toString(16).padStart(10, '0')}  ${hexPart}  ${text}`);
  }
  hex.textContent = lines.join('\n') || `(offset ${offset} is past the end of ${stored.name})`;
}

async function load(file: File): Promise<void> {
  controller?.abort();
  controller = new AbortController();
  stored?.buffer.release();
  stored = undefined;
  cancel.disabled = false;
  const out = new BufferOutputStream();
  const started = performance.now();
  try {
    await out.upload(file.stream(), {
      signal: controller.signal,
      onProgress: (done) => {
        progress.value = file.size === 0 ? 1 : done / file.size;
        const seconds = (performance.now() - started) / 1000;
        status.textContent = `${file.name}: ${formatBytes(done)} of ${formatBytes(file.size)} · ${formatBytes(done / Math.max(seconds, 1e-3))}/s`;
        showPool();
      },
    });
    const buffer = out.getValue();
    stored = { name: file.name, buffer, reader: new BufferReader(buffer) };
    const seconds = (performance.now() - started) / 1000;
    status.textContent = `${file.name}: ${formatBytes(buffer.size)} loaded in ${seconds.toFixed(2)} s`;
    progress.value = 1;
    offsetInput.max = String(Math.max(0, buffer.size - 1));
    showHex(0);
  } catch (error) {
    status.textContent = `${file.name}: ${(error as Error).message}`;
    out.getValue().release();
  } finally {
    cancel.disabled = true;
    showPool();
  }
}

picker.addEventListener('change', () => picker.files?.[0] && void load(picker.files[0]));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void load(file);
});
cancel.addEventListener('click', () => controller?.abort(new Error('cancelled')));
$('seek').addEventListener('submit', (event) => {
  event.preventDefault();
  showHex(Math.max(0, Math.floor(Number(offsetInput.value) || 0)));
});
showPool();
