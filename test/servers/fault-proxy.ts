import { createServer, request, type IncomingMessage, type Server } from 'node:http';

/** What the proxy does with one request. */
export type Fault =
  | { kind: 'pass' }
  /** Answers this status itself (with `Retry-After` seconds when given) without asking the origin. */
  | { kind: 'status'; status: number; retryAfter?: number }
  /** Forwards, but cuts the connection after `after` bytes of the body. */
  | { kind: 'cut'; after: number };

/** A loopback proxy in front of an origin that injects faults and latency, and counts traffic. */
export interface FaultProxy {
  /** The proxy's base URL, ending in `/`. */
  readonly url: string;
  /** Milliseconds added before each request is handled. */
  latencyMs: number;
  /**
   * The most requests handled at once; the rest wait (as a browser holds back requests
   * beyond six per host over HTTP/1.1). Default unlimited.
   */
  maxConcurrent: number;
  /** Chooses the fault of each request (`index` counts from 0); default: pass everything. */
  plan: (index: number, request: IncomingMessage) => Fault;
  /** Requests seen. */
  requests: number;
  /** Response body bytes sent to clients. */
  bytes: number;
  /** Resets the counters. */
  reset(): void;
  stop(): Promise<void>;
  /** Lets the process exit while the proxy listens. */
  unref(): void;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /**
   * Forward the client's own `Host` header (the proxy's address) instead of the origin's: a
   * SigV4 signature covers the host the client addressed, which the origin checks. Default `false`.
   */
  readonly keepHost?: boolean;
}

/** Starts a proxy on a free 127.0.0.1 port forwarding to `origin` (`http://127.0.0.1:port`). */
export async function startFaultProxy(origin: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(origin);
  const state: FaultProxy = {
    url: '',
    latencyMs: 0,
    maxConcurrent: Infinity,
    plan: () => ({ kind: 'pass' }),
    requests: 0,
    bytes: 0,
    reset() {
      state.requests = 0;
      state.bytes = 0;
    },
    stop: async () => {},
    unref: () => {},
  };
  let active = 0;
  const waiting: Array<() => void> = [];
  const server: Server = createServer(async (req, res) => {
    if (active >= state.maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    res.once('close', () => {
      const next = waiting.shift();
      if (next !== undefined) next();
      else active--;
    });
    const index = state.requests++;
    const fault = state.plan(index, req);
    setTimeout(() => {
      if (fault.kind === 'status') {
        req.resume();
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        res.writeHead(fault.status, headers).end(`injected ${fault.status}`);
        return;
      }
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: options.keepHost === true ? req.headers : { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          let sent = 0;
          answer.on('data', (chunk: Buffer) => {
            if (fault.kind === 'cut' && sent + chunk.byteLength > fault.after) {
              const part = chunk.subarray(0, fault.after - sent);
              state.bytes += part.byteLength;
              res.write(part, () => res.destroy());
              answer.destroy();
              return;
            }
            sent += chunk.byteLength;
            state.bytes += chunk.byteLength;
            res.write(chunk);
          });
          answer.on('end', () => res.end());
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    }, state.latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  Object.assign(state, {
    url: `http://127.0.0.1:${port}/`,
    unref: () => void server.unref(),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return state;
}
