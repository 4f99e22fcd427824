import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';

/**
 * A CivitAI stand-in on 127.0.0.1 (port 0): `GET /api/v1/model-versions/by-hash/:hash` and the
 * batch `POST /api/v1/model-versions/by-hash`, answering with full model-version objects like
 * the real API (404 `{"error":"Model not found"}`, 400 for a bad batch). A GET matches any
 * stored hash type: SHA256, AutoV2 (first 10 hex), AutoV3 (only its first 12 hex, as CivitAI
 * stores it), AutoV1, CRC32, BLAKE3. The batch answers, as the real one does, with one element
 * per file whose SHA256 was asked (a version with two such files comes twice); `rewriteBatch`
 * lets a test shuffle it, put nulls in it or null out fields. Failures are scripted per hash or
 * per request number, and every request is recorded.
 */

export interface FakeFileSpec {
  sha256: string;
  /** The file's AutoV3 (full or 12 hex); the fake keeps its first 12 hex digits, like CivitAI. */
  autov3?: string;
  name?: string;
  sizeKB?: number;
  primary?: boolean;
  /** `files[].type`: Model (default), Pruned Model, VAE, Config, Training Data, … */
  type?: string;
  /**
   * Listed in the version's answer but not one of its own files, like the VAE CivitAI appends
   * to a checkpoint version that names one (vaeId, file type VAE): lookups never find it here.
   */
  linked?: boolean;
}

export interface FakeVersionSpec {
  id?: number;
  modelId?: number;
  /** Version name. */
  name?: string;
  modelName?: string;
  /** `model.type`, default Checkpoint. */
  type?: string;
  baseModel?: string;
  trainedWords?: string[];
  files: FakeFileSpec[];
}

/** A scripted answer: a raw response, a delay before the normal answer, a 200 that is not JSON, or a dropped connection. */
export type FakeReply = { status: number; body?: unknown; headers?: Record<string, string> } | { delayMs: number } | { malformed: true } | { drop: true };

export interface RecordedRequest {
  /** 1-based arrival order. */
  n: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeCivitaiOptions {
  /** Delay before every answer (lets tests see overlapping requests). */
  delayMs?: number;
  /** How the batch endpoint behaves: true (default), or the status a mirror without it answers. */
  batch?: true | 404 | 405;
  /** Rewrites each batch answer (one element per matching file, in registration order) before it is sent. */
  rewriteBatch?: (elements: Array<Record<string, unknown>>) => unknown[];
}

type Script = { reply: FakeReply; left: number };

export class FakeCivitai {
  readonly requests: RecordedRequest[] = [];
  /** Errors while serving a request (none expected). */
  readonly errors: unknown[] = [];
  /** Most requests in flight at once so far. */
  maxInFlight = 0;
  private inFlight = 0;
  private nextId = 1000;
  private readonly byHash = new Map<string, Record<string, unknown>>();
  /** Every own file of every version, by upper-case SHA256, in registration order. */
  private readonly fileRows: Array<{ sha256: string; version: Record<string, unknown> }> = [];
  private readonly hashScripts = new Map<string, Script>();
  private readonly requestScripts = new Map<number, FakeReply>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly opts: FakeCivitaiOptions,
  ) {}

  static async start(opts: FakeCivitaiOptions = {}): Promise<FakeCivitai> {
    let fake: FakeCivitai | undefined;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch((err: unknown) => {
        fake?.errors.push(err); // e.g. a client that hung up mid-body; tests may assert none happened
        res.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeCivitai(server, `http://127.0.0.1:${port}/api/v1`, opts);
    return fake;
  }

  /** Register a model version; returns the object the API answers with. */
  addVersion(spec: FakeVersionSpec): Record<string, unknown> {
    const version = buildVersion(spec, this.nextId++, this.baseUrl);
    spec.files.forEach((f, i) => {
      if (f.linked === true) return;
      const file = (version.files as Array<{ hashes: Record<string, string> }>)[i];
      for (const h of Object.values(file?.hashes ?? {})) if (!this.byHash.has(h)) this.byHash.set(h, version);
      this.fileRows.push({ sha256: f.sha256.toUpperCase(), version });
    });
    return version;
  }

  /** Answer `reply` to the next `times` requests about `hash` (a GET of it, or a POST listing it). */
  scriptHash(hash: string, reply: FakeReply, times = 1): void {
    this.hashScripts.set(hash.toUpperCase(), { reply, left: times });
  }

  /** Answer `reply` to the n-th request (1-based). */
  scriptRequest(n: number, reply: FakeReply): void {
    this.requestScripts.set(n, reply);
  }

  /** Requests whose path starts with `prefix` (e.g. '/api/v1/model-versions/by-hash/'). */
  requestsTo(method: string, prefix = '/api/v1/model-versions/by-hash'): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: RecordedRequest = { n: this.requests.length + 1, method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(rec);
    const reply = this.requestScripts.get(rec.n) ?? this.takeHashScript(rec);
    const delay = (reply !== undefined && 'delayMs' in reply ? reply.delayMs : 0) + (this.opts.delayMs ?? 0);
    if (delay > 0) await this.wait(delay);
    if (res.destroyed) return;
    if (reply !== undefined && 'drop' in reply) return void res.socket?.destroy();
    if (reply !== undefined && 'malformed' in reply) return send(res, 200, '{"id": 1, "modelId": ', { 'Content-Type': 'application/json' });
    if (reply !== undefined && 'status' in reply) return sendJson(res, reply.status, reply.body ?? { error: 'scripted' }, reply.headers);
    this.answer(rec, res);
  }

  /** The real API's behaviour. */
  private answer(rec: RecordedRequest, res: ServerResponse): void {
    const get = /^\/api\/v1\/model-versions\/by-hash\/([^/?]+)$/.exec(rec.path);
    if (rec.method === 'GET' && get !== null) {
      const version = this.byHash.get(decodeURIComponent(get[1] ?? '').toUpperCase());
      return version === undefined ? sendJson(res, 404, { error: 'Model not found' }) : sendJson(res, 200, version);
    }
    if (rec.path === '/api/v1/model-versions/by-hash' && this.opts.batch === 405) return sendJson(res, 405, { error: 'Method not allowed' });
    if (rec.method === 'POST' && rec.path === '/api/v1/model-versions/by-hash' && this.opts.batch !== 404) {
      const hashes = parseBatch(rec.body);
      if (typeof hashes === 'string') return sendJson(res, 400, { error: hashes });
      const asked = new Set(hashes.map((h) => h.toUpperCase()));
      const elements = this.fileRows.filter((row) => asked.has(row.sha256)).map((row) => structuredClone(row.version));
      return sendJson(res, 200, this.opts.rewriteBatch === undefined ? elements : this.opts.rewriteBatch(elements));
    }
    send(res, 404, '<!DOCTYPE html><html><body>404: This page could not be found</body></html>', { 'Content-Type': 'text/html' });
  }

  private takeHashScript(rec: RecordedRequest): FakeReply | undefined {
    const get = /\/by-hash\/([^/?]+)$/.exec(rec.path);
    const asked = get !== null ? [get[1] ?? ''] : rec.method === 'POST' ? [...(readJsonArray(rec.body) ?? [])] : [];
    for (const hash of asked) {
      const script = this.hashScripts.get(hash.toUpperCase());
      if (script === undefined || script.left <= 0) continue;
      script.left--;
      return script.reply;
    }
    return undefined;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

const started: FakeCivitai[] = [];

/** A fake closed after the current test, which then also fails if serving a request threw. */
export async function startFakeCivitai(opts: FakeCivitaiOptions = {}): Promise<FakeCivitai> {
  const fake = await FakeCivitai.start(opts);
  started.push(fake);
  return fake;
}

afterEach(async () => {
  const fakes = started.splice(0);
  for (const f of fakes) await f.close();
  expect(fakes.flatMap((f) => f.errors)).toEqual([]);
});

/** A full model-version object as the API returns it. */
function buildVersion(spec: FakeVersionSpec, id: number, baseUrl: string): Record<string, unknown> {
  const site = new URL(baseUrl).origin;
  const modelId = spec.modelId ?? id + 50_000;
  const type = spec.type ?? 'Checkpoint';
  const baseModel = spec.baseModel ?? 'SD 1.5';
  const versionId = spec.id ?? id;
  return {
    id: versionId,
    modelId,
    name: spec.name ?? 'v1.0',
    nsfwLevel: 1,
    createdAt: '2024-01-02T03:04:05.000Z',
    updatedAt: '2024-01-02T03:04:05.000Z',
    status: 'Published',
    publishedAt: '2024-01-02T03:04:05.000Z',
    trainedWords: spec.trainedWords ?? [],
    trainingStatus: null,
    trainingDetails: null,
    baseModel,
    baseModelType: 'Standard',
    description: '<p>A model.</p>',
    uploadType: 'Created',
    usageControl: 'Download',
    air: `urn:air:sd1:${type.toLowerCase()}:civitai:${modelId}@${versionId}`,
    stats: { downloadCount: 123, thumbsUpCount: 45 },
    model: { name: spec.modelName ?? `Model ${modelId}`, type, nsfw: false, poi: false, mode: null },
    files: spec.files.map((f, i) => buildFile(f, i, versionId, site)),
    images: [],
    downloadUrl: `${site}/api/download/models/${versionId}`,
  };
}

function buildFile(f: FakeFileSpec, i: number, versionId: number, site: string): Record<string, unknown> {
  const sha = f.sha256.toUpperCase();
  const derived = (tag: string, len: number): string => createHash('sha256').update(`${tag}:${sha}`).digest('hex').slice(0, len).toUpperCase();
  const hashes: Record<string, string> = { AutoV1: derived('autov1', 8), AutoV2: sha.slice(0, 10), SHA256: sha, CRC32: derived('crc32', 8), BLAKE3: derived('blake3', 64) };
  if (f.autov3 !== undefined) hashes.AutoV3 = f.autov3.slice(0, 12).toUpperCase();
  return {
    id: versionId * 10 + i,
    sizeKB: f.sizeKB ?? 2082642.6,
    name: f.name ?? `model_${versionId}_${i}.safetensors`,
    type: f.type ?? 'Model',
    pickleScanResult: 'Success',
    pickleScanMessage: 'No Pickle imports',
    virusScanResult: 'Success',
    virusScanMessage: null,
    scannedAt: '2024-01-02T03:04:05.000Z',
    metadata: { format: 'SafeTensor', size: 'pruned', fp: 'fp16' },
    hashes,
    primary: f.primary ?? i === 0,
    downloadUrl: `${site}/api/download/models/${versionId}`,
  };
}

/** The batch body as the real endpoint validates it: an array of at most 100 SHA-256 strings. */
function parseBatch(body: string): string[] | string {
  const hashes = readJsonArray(body);
  if (hashes === undefined) return 'Invalid request body: expected an array of SHA256 hashes';
  if (hashes.length > 100) return 'Too many hashes: at most 100';
  if (!hashes.every((h) => /^[0-9a-fA-F]{64}$/.test(h))) return 'Invalid hash: expected SHA256';
  return hashes;
}

function readJsonArray(body: string): string[] | undefined {
  try {
    const json = JSON.parse(body) as unknown;
    return Array.isArray(json) && json.every((h) => typeof h === 'string') ? json : undefined;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, headers);
  res.end(text);
}
