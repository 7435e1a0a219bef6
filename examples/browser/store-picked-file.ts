// Store a file the user picked in OPFS, with progress and a Cancel button.
import { OpfsFile } from 'nativefile';

export async function storePicked(picked: File, progress: HTMLProgressElement, cancel: HTMLButtonElement): Promise<void> {
  const controller = new AbortController();
  cancel.onclick = () => controller.abort(new Error('cancelled by the user'));
  progress.max = picked.size;
  await using file = await OpfsFile.open(`uploads/${picked.name}`, 'wb'); // folders are created
  await file.upload(picked, { onProgress: (done) => (progress.value = done), signal: controller.signal });
  // Closing replaces any older uploads/<name> at once; a cancel or a crash leaves the old one.
}
