/**
 * A PROTOCOL FAKE of WebHDFS, for tests only: no HDFS can run here, so this answers the
 * REST calls the way Apache Hadoop's "WebHDFS REST API" document describes them, storing
 * files in a temporary folder. It is not HDFS (no blocks, replication, leases or real
 * permissions); it checks the protocol: a NameNode port that answers data operations with
 * `307 Temporary Redirect` to a DataNode port (or, with `noredirect=true`, `200
 * {"Location": …}`), a DataNode port that moves the bytes, `FileStatus` / `FileStatuses` /
 * `boolean` JSON answers, and `RemoteException` JSON errors.
 *
 * Permissions are faked with one rule: paths under `/private` need `user.name=admin` (or a
 * `delegation` token), else `AccessControlException`.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize } from 'node:path';

/** A running fake: a NameNode and a DataNode on two loopback ports. */
export interface WebHdfsServer {
  /** The NameNode's base URL (what `HadoopFileSystem({ url })` takes). */
  readonly url: string;
  /** Each request as the NameNode and DataNode saw it (`NN GET /path?op=…`). */
  readonly log: string[];
  /** Makes the DataNode fail its next `count` CREATE or APPEND requests with a 500 `IOException`. */
  failDataNodeWrites(count: number): void;
  stop(): Promise<void>;
}

/** Options of {@link startWebHdfs}. */
export interface WebHdfsServerOptions {
  /**
   * Whether the NameNode honours `noredirect=true` (Hadoop 2.8 and later). With `false` it
   * answers data operations with a 307 whatever the client asks, as Hadoop 2.7 and older do.
   * Default `true`.
   */
  readonly noredirect?: boolean;
}

class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly exception: string,
    message: string,
  ) {
    super(message);
  }
}

const JAVA: Record<string, string> = {
  FileNotFoundException: 'java.io.FileNotFoundException',
  AccessControlException: 'org.apache.hadoop.security.AccessControlException',
  FileAlreadyExistsException: 'org.apache.hadoop.fs.FileAlreadyExistsException',
  IllegalArgumentException: 'java.lang.IllegalArgumentException',
  PathIsNotEmptyDirectoryException: 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException',
  IOException: 'java.io.IOException',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the fake NameNode and DataNode, serving a fresh temporary folder. */
export async function startWebHdfs(options: WebHdfsServerOptions = {}): Promise<WebHdfsServer> {
  const root = mkdtempSync(join(tmpdir(), 'nativefile-webhdfs-'));
  const log: string[] = [];
  let dataNodeUrl = '';
  let failingWrites = 0;

  const local = (hdfsPath: string): string => {
    const clean = normalize(decodeURIComponent(hdfsPath));
    if (!clean.startsWith('/') || clean.includes('..'))
      throw new RemoteError(400, 'IllegalArgumentException', `Invalid path name ${hdfsPath}`);
    return join(root, clean);
  };
  const status = (file: string, suffix: string) => {
    const stats = statSync(file);
    return {
      accessTime: stats.atimeMs | 0,
      blockSize: 134217728,
      childrenNum: stats.isDirectory() ? readdirSync(file).length : 0,
      fileId: stats.ino,
      group: 'supergroup',
      length: stats.isDirectory() ? 0 : stats.size,
      modificationTime: Math.floor(stats.mtimeMs),
      owner: 'hdfs',
      pathSuffix: suffix,
      permission: stats.isDirectory() ? '755' : '644',
      replication: stats.isDirectory() ? 0 : 3,
      type: stats.isDirectory() ? 'DIRECTORY' : 'FILE',
    };
  };
  const mustExist = (hdfsPath: string, file: string) => {
    if (!existsSync(file)) throw new RemoteError(404, 'FileNotFoundException', `File does not exist: ${hdfsPath}`);
  };

  const handle =
    (node: 'NN' | 'DN', handler: (req: IncomingMessage, res: ServerResponse, url: URL, path: string) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      log.push(`${node} ${req.method} ${url.pathname}${url.search}`);
      try {
        if (!url.pathname.startsWith('/webhdfs/v1/'))
          throw new RemoteError(404, 'FileNotFoundException', `no such resource ${url.pathname}`);
        const path = url.pathname.slice('/webhdfs/v1'.length);
        const user = url.searchParams.get('user.name');
        if (decodeURIComponent(path).startsWith('/private') && user !== 'admin' && !url.searchParams.has('delegation')) {
          throw new RemoteError(
            403,
            'AccessControlException',
            `Permission denied: user=${user ?? 'dr.who'}, access=READ, inode="${path}"`,
          );
        }
        await handler(req, res, url, path);
      } catch (error) {
        const e = error instanceof RemoteError ? error : new RemoteError(500, 'IOException', String(error));
        sendJson(res, e.status, {
          RemoteException: {
            exception: e.exception,
            javaClassName: JAVA[e.exception] ?? 'java.io.IOException',
            message: e.message,
          },
        });
      }
    };

  const nameNode: Server = createServer(
    handle('NN', async (req, res, url, path) => {
      const op = url.searchParams.get('op')?.toUpperCase();
      const file = local(path);
      // Data operations go to a DataNode: 307 with Location, or its URL as JSON with noredirect=true.
      if (
        (op === 'OPEN' && req.method === 'GET') ||
        (op === 'CREATE' && req.method === 'PUT') ||
        (op === 'APPEND' && req.method === 'POST')
      ) {
        req.resume();
        if (op !== 'CREATE') mustExist(path, file);
        const location = `${dataNodeUrl}${url.pathname}${url.search.replace(/&?noredirect=true/, '')}&namenoderpcaddress=fake:8020`;
        if (url.searchParams.get('noredirect') === 'true' && options.noredirect !== false)
          sendJson(res, 200, { Location: location });
        else res.writeHead(307, { location, 'content-length': '0' }).end();
        return;
      }
      if (op === 'GETFILESTATUS' && req.method === 'GET') {
        mustExist(path, file);
        return sendJson(res, 200, { FileStatus: status(file, '') });
      }
      if (op === 'LISTSTATUS' && req.method === 'GET') {
        mustExist(path, file);
        const entries = statSync(file).isDirectory()
          ? readdirSync(file)
              .sort()
              .map((name) => status(join(file, name), name))
          : [status(file, '')];
        return sendJson(res, 200, { FileStatuses: { FileStatus: entries } });
      }
      if (op === 'MKDIRS' && req.method === 'PUT') {
        if (existsSync(file) && !statSync(file).isDirectory())
          throw new RemoteError(403, 'FileAlreadyExistsException', `Parent path is not a directory: ${path}`);
        mkdirSync(file, { recursive: true });
        return sendJson(res, 200, { boolean: true });
      }
      if (op === 'DELETE' && req.method === 'DELETE') {
        if (!existsSync(file)) return sendJson(res, 200, { boolean: false });
        if (statSync(file).isDirectory() && readdirSync(file).length > 0 && url.searchParams.get('recursive') !== 'true') {
          throw new RemoteError(403, 'PathIsNotEmptyDirectoryException', `${path} is non empty': Directory is not empty`);
        }
        rmSync(file, { recursive: true, force: true });
        return sendJson(res, 200, { boolean: true });
      }
      if (op === 'RENAME' && req.method === 'PUT') {
        const destination = url.searchParams.get('destination');
        if (destination === null) throw new RemoteError(400, 'IllegalArgumentException', 'destination is missing');
        // HDFS's RENAME (without renameoptions) moves the source into a directory that exists
        // at the destination, and answers false when the source is missing, the destination
        // exists or its parent is missing or a file.
        let target = local(destination);
        if (existsSync(target) && statSync(target).isDirectory()) target = join(target, basename(file));
        const parent = dirname(target);
        if (!existsSync(file) || existsSync(target) || !existsSync(parent) || !statSync(parent).isDirectory())
          return sendJson(res, 200, { boolean: false });
        renameSync(file, target);
        return sendJson(res, 200, { boolean: true });
      }
      throw new RemoteError(
        400,
        'IllegalArgumentException',
        `Invalid value for webhdfs parameter "op": ${op} with ${req.method}`,
      );
    }),
  );

  const dataNode: Server = createServer(
    handle('DN', async (req, res, url, path) => {
      const op = url.searchParams.get('op')?.toUpperCase();
      const file = local(path);
      if (op === 'OPEN') {
        mustExist(path, file);
        const bytes = readFileSync(file);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const length = url.searchParams.has('length') ? Number(url.searchParams.get('length')) : bytes.byteLength;
        if (offset > bytes.byteLength)
          throw new RemoteError(403, 'IOException', `Offset=${offset} out of the range [0, ${bytes.byteLength})`);
        const part = bytes.subarray(offset, offset + length);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(part.byteLength) }).end(part);
        return;
      }
      const body = await readBody(req);
      if (failingWrites > 0 && (op === 'CREATE' || op === 'APPEND')) {
        failingWrites--;
        throw new RemoteError(500, 'IOException', `the DataNode failed this ${op} on purpose`);
      }
      if (op === 'CREATE') {
        if (existsSync(file) && url.searchParams.get('overwrite') !== 'true')
          throw new RemoteError(403, 'FileAlreadyExistsException', `${path} for client already exists`);
        if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, body);
        res.writeHead(201, { location: `hdfs://fake:8020${path}`, 'content-length': '0' }).end();
        return;
      }
      if (op === 'APPEND') {
        mustExist(path, file);
        appendFileSync(file, body);
        res.writeHead(200, { 'content-length': '0' }).end();
        return;
      }
      throw new RemoteError(400, 'IllegalArgumentException', `Invalid operation ${op} on a DataNode`);
    }),
  );

  const listen = async (server: Server): Promise<string> => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  };
  dataNodeUrl = await listen(dataNode);
  const url = await listen(nameNode);
  return {
    url,
    log,
    failDataNodeWrites(count) {
      failingWrites = count;
    },
    async stop() {
      for (const server of [nameNode, dataNode]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
