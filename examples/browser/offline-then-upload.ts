// Capture offline into OPFS, upload the whole folder to S3 later, and bring one back for offline use.
import { copyFiles, OpfsFileSystem, type S3FileSystem } from 'nativefile';

export async function syncCaptures(s3: S3FileSystem, user: string): Promise<void> {
  const opfs = new OpfsFileSystem();
  const sent = await copyFiles(opfs, 'captures', s3, `uploads/${user}/captures`, {
    onProgress: (copied, total) => console.log(`${copied} of ${total} bytes`),
  });
  console.log(`${sent.files} files up`);
  await opfs.deleteDirContents('captures'); // sent: free the space, keep the folder
  await copyFiles(s3, `uploads/${user}/shared`, opfs, 'shared'); // and back down, for offline use
}
