import { createServer } from 'node:http';
import { azureSharedKeySigner } from '../../src/fs/azure/azure-shared-key.js';
import type { RequestToSign } from '../../src/remote/signer.js';
import { AZURITE_ACCOUNT, AZURITE_KEY } from './azurite.js';

/** A running signing server: what an app's own server does for its pages. */
export interface AzureSigningServer {
  /** Where to POST a `RequestToSign` as JSON; the answer is the `SignedRequest`. */
  readonly url: string;
  /** Every request it signed. */
  readonly signed: RequestToSign[];
  stop(): Promise<void>;
}

/**
 * Starts a signing server on 127.0.0.1 holding Azurite's account key: it answers each POSTed
 * request with its Shared Key signature, with CORS headers so a page on another origin can ask.
 */
export async function startAzureSigner(): Promise<AzureSigningServer> {
  const sign = azureSharedKeySigner(AZURITE_ACCOUNT, AZURITE_KEY);
  const signed: RequestToSign[] = [];
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': '*',
  };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = JSON.parse(body) as RequestToSign;
      signed.push(request);
      sign(request).then(
        (answer) => res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify(answer)),
        (error: unknown) => res.writeHead(500, cors).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/sign`,
    signed,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
