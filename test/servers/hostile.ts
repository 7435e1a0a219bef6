/**
 * A scripted store on 127.0.0.1 that answers as a misbehaving or malicious one would: the
 * test decides each answer (listings with keys that climb out of their prefix, pagination
 * tokens that repeat, redirects on writes, bodies that echo secrets). Real stores do not
 * produce these on demand, so the clients' defences are tried against this one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** Answers one request; `body` is what the client sent. */
export type HostileHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

/** A running scripted store. */
export interface HostileServer {
  /** Its base URL, without a trailing slash. */
  readonly url: string;
  /** Each request as it arrived: `METHOD /path?query`. */
  readonly log: string[];
  stop(): Promise<void>;
}

/** Starts a scripted store answering every request with `handler`. */
export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  const log: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      log.push(`${request.method} ${request.url}`);
      handler(request, response, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The query parameters of a request. */
export function queryOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://host').searchParams;
}

/** The path of a request, without its query. */
export function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://host').pathname;
}
