import { defaultMemoryPool, fromReadableStream, OpfsFile, type OpfsReader, type UploadSource } from '../src/index.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const drop = $('drop');
const picker = $<HTMLInputElement>('picker');
const progress = $<HTMLProgressElement>('progress');
const status = $('status');
const cancel = $<HTMLButtonElement>('cancel');
const hex = $('hex');
const offsetInput = $<HTMLInputElement>('offset');

let stored: OpfsReader | undefined;
let controller: AbortController | undefined;

$('isolation').textContent =
  `crossOriginIsolated: ${globalThis.crossOriginIsolated === true} · pool: ${defaultMemoryPool().backendName}`;

const formatBytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1048576
      ? `${(n / 1024).toFixed(1)} KiB`
      : n < 1073741824
        ? `${(n / 1048576).toFixed(1)} MiB`
        : `${(n / 1073741824).toFixed(2)} GiB`;

function showPool(): void {
  const pool = defaultMemoryPool();
  $('pool').innerHTML = [
    ['backend', pool.backendName],
    ['allocated', formatBytes(pool.bytesAllocated())],
    ['peak', formatBytes(pool.maxMemory())],
    ['allocations', pool.numAllocations().toLocaleString()],
  ]
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join('');
}

let hexRequest = 0;

async function showHex(offset: number): Promise<void> {
  if (stored === undefined) return;
  const request = ++hexRequest;
  const bytes = await stored.readAt(offset, 256);
  if (request !== hexRequest) return; // a later request owns the view now
  const lines: string[] = [];
  for (let row = 0; row < bytes.length; row += 16) {
    const slice = bytes.subarray(row, row + 16);
    const hexPart = Array.from(slice, (b) => b.toString(16).padStart(2, '0'))
      .join(' ')
      .padEnd(47);
    const text = Array.from(slice, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(offset + row).toString(16).padStart(10, '0')}  ${hexPart}  ${text}`);
  }
  hex.textContent = lines.join('\n') || `(offset ${offset} is past the end of ${stored.path})`;
}

/** Lists what the demo stored in OPFS, each with buttons to inspect or delete it. */
async function showFiles(): Promise<void> {
  const list = $('files');
  const root = await navigator.storage.getDirectory();
  const directory = await root.getDirectoryHandle('demo', { create: true });
  const entries: Array<[string, number]> = [];
  for await (const [name, handle] of directory as unknown as AsyncIterable<[string, FileSystemHandle]>) {
    if (handle.kind === 'file') entries.push([name, (await (handle as FileSystemFileHandle).getFile()).size]);
  }
  entries.sort(([a], [b]) => a.localeCompare(b));
  list.replaceChildren(
    ...(entries.length === 0
      ? [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'Nothing yet.' })]
      : entries.map(([name, size]) => {
          const item = document.createElement('li');
          const label = Object.assign(document.createElement('span'), { className: 'name', textContent: name, title: name });
          const bytes = Object.assign(document.createElement('span'), { className: 'size', textContent: formatBytes(size) });
          const inspect = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Inspect' });
          inspect.addEventListener('click', () => void inspectStored(`demo/${name}`));
          const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Delete' });
          remove.addEventListener('click', async () => {
            if (stored?.path === `demo/${name}`) {
              await stored.close();
              stored = undefined;
              hex.textContent = 'Load a file to see its bytes.';
            }
            await directory.removeEntry(name);
            await showFiles();
          });
          item.append(label, bytes, inspect, remove);
          return item;
        })),
  );
}

/** Opens a stored file for the hex view. */
async function inspectStored(path: string): Promise<void> {
  await stored?.close();
  stored = await OpfsFile.open(path, 'rb');
  const size = await stored.size();
  $('stored-name').textContent = `${path} · ${formatBytes(size)} · readAt(offset, 256)`;
  offsetInput.max = String(Math.max(0, size - 1));
  offsetInput.value = '0';
  await showHex(0);
  await showLines(stored);
}

/** The first lines of a text file, through `lines()` (async iteration gives chunks instead). */
async function showLines(file: OpfsReader): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const shown: string[] = [];
  try {
    for await (const line of file.lines({ maxLineLength: 4096 })) {
      shown.push(decoder.decode(line).trimEnd());
      if (shown.length === 5) break;
    }
  } catch {
    shown.length = 0; // binary, or lines too long: no preview
  }
  file.seek(0);
  $('lines').textContent = shown.length > 0 ? shown.join('\n') : '(no text preview)';
}

/** Streams `source` into OPFS at `demo/<name>`, with progress, throughput and cancel. */
async function store(name: string, source: UploadSource, total: number | undefined): Promise<void> {
  controller?.abort();
  controller = new AbortController();
  await stored?.close();
  stored = undefined;
  cancel.disabled = false;
  progress.removeAttribute('value');
  const path = `demo/${name.replace(/[\\/]/g, '_') || 'download'}`;
  const started = performance.now();
  const target = await OpfsFile.open(path, 'wb');
  try {
    await target.upload(source, {
      signal: controller.signal,
      onProgress: (done) => {
        if (total) progress.value = done / total;
        const seconds = (performance.now() - started) / 1000;
        status.textContent = `${name}: ${formatBytes(done)}${total ? ` of ${formatBytes(total)}` : ''} · ${formatBytes(done / Math.max(seconds, 1e-3))}/s`;
        showPool();
      },
    });
    const size = await target.size();
    await target.close();
    const seconds = (performance.now() - started) / 1000;
    status.textContent = `${name}: ${formatBytes(size)} stored in OPFS at ${path} in ${seconds.toFixed(2)} s (${formatBytes(size / Math.max(seconds, 1e-3))}/s)`;
    progress.value = 1;
    await inspectStored(path);
    await showFiles();
  } catch (error) {
    // 'wb' replaces the file only on close: abort keeps the old one and drops the partial copy.
    await target.abort(error);
    status.textContent = `${name}: ${(error as Error).message}`;
    progress.value = 0;
  } finally {
    cancel.disabled = true;
    showPool();
  }
}

const storeFile = (file: File) => void store(file.name, file.stream(), file.size);

picker.addEventListener('change', () => picker.files?.[0] && storeFile(picker.files[0]));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) storeFile(file);
});
$('fetch-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const url = $<HTMLInputElement>('url').value;
  try {
    const response = await fetch(url);
    if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length')) || undefined;
    const name = new URL(url).pathname.split('/').pop() || 'download';
    await store(name, fromReadableStream(response.body), length);
  } catch (error) {
    status.textContent = `${url}: ${(error as Error).message}`;
  }
});
cancel.addEventListener('click', () => controller?.abort(new Error('cancelled')));
$('seek').addEventListener('submit', (event) => {
  event.preventDefault();
  void showHex(Math.max(0, Math.floor(Number(offsetInput.value) || 0)));
});
setInterval(showPool, 500);
showPool();
void showFiles();
