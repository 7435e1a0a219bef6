// Upload a picked File to S3 so that it survives a reload: the page holds no secret, its
// server signs each request, and calling this again with the same file resumes the upload.
import { resumableUpload, S3FileSystem } from 'nativefile';

export async function uploadPicked(picked: File, endpoint: string, onProgress: (bytes: number) => void) {
  const s3 = new S3FileSystem({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    signer: async (request) => (await fetch('/sign', { method: 'POST', body: JSON.stringify(request) })).json(),
  });
  return resumableUpload(s3, `uploads/${picked.name}`, picked, { onProgress }); // { size, resumedFrom }
}
