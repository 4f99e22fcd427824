import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CivitaiClient, type CivitaiClientOptions } from '../../classify/civitai-client.js';
import { fakeClock } from '../helpers/clock.js';
import { expectError } from '../helpers/errors.js';
import { FakeCivitai } from '../helpers/fake-civitai.js';

const sha = (n: number | string): string => createHash('sha256').update(`file-${n}`).digest('hex');
const autov3 = (n: number | string): string => createHash('sha256').update(`payload-${n}`).digest('hex');
const KEY = 'sk-very-secret-civitai-key';

let fake: FakeCivitai;
afterEach(async () => {
  const errors = fake?.errors ?? [];
  await fake?.close();
  expect(errors).toEqual([]);
});

async function setup(opts: Parameters<typeof FakeCivitai.start>[0] = {}): Promise<FakeCivitai> {
  fake = await FakeCivitai.start(opts);
  return fake;
}

/** A client with test-sized waits. */
function client(extra: Partial<CivitaiClientOptions> = {}): CivitaiClient {
  return new CivitaiClient({ baseUrl: fake.baseUrl, timeoutMs: 2000, maxRetries: 3, backoffMs: 10, minIntervalMs: 0, concurrency: 4, ...extra });
}

describe('CivitaiClient lookups', () => {
  it('finds a version by SHA-256, by AutoV3 prefix and by AutoV2, and says null on 404', async () => {
    await setup();
    fake.addVersion({ modelName: 'DreamShaper', name: '8', baseModel: 'SD 1.5', trainedWords: ['dreamy'], files: [{ sha256: sha(1), autov3: autov3(1) }] });
    const c = client();
    const bySha = await c.getByHash(sha(1));
    expect(bySha?.hash).toBe(sha(1).toUpperCase());
    expect(bySha?.version).toMatchObject({ modelName: 'DreamShaper', name: '8', modelType: 'Checkpoint', baseModel: 'SD 1.5', trainedWords: ['dreamy'] });
    expect(bySha?.version.pageUrl).toBe(`${new URL(fake.baseUrl).origin}/models/${bySha?.version.modelId}?modelVersionId=${bySha?.version.id}`);
    expect((await c.getByHash(autov3(1).slice(0, 12)))?.version.id).toBe(bySha?.version.id);
    expect((await c.getByHash(sha(1).slice(0, 10)))?.version.id).toBe(bySha?.version.id);
    expect(await c.getByHash(autov3(1))).toBeNull(); // CivitAI keeps only 12 hex digits of AutoV3
    expect(await c.getByHash(sha(2))).toBeNull();
    expect(fake.requestsTo('GET', '/api/v1/model-versions/by-hash/')).toHaveLength(5);
  });

  it('maps batch answers back to the requested hashes, case-insensitively, in chunks of 100', async () => {
    await setup();
    for (let i = 0; i < 250; i += 7) fake.addVersion({ files: [{ sha256: sha(i) }] });
    const asked = Array.from({ length: 250 }, (_, i) => sha(i));
    const answers = await client().postByHashes(asked);
    expect(answers.map((a) => a.hash).sort()).toEqual(asked.filter((_, i) => i % 7 === 0).map((h) => h.toUpperCase()).sort());
    for (const a of answers) expect('version' in a && a.version.files[0]?.hashes.SHA256).toBe(a.hash);
    const posts = fake.requestsTo('POST');
    expect(posts.map((p) => (JSON.parse(p.body) as string[]).length)).toEqual([100, 100, 50]);
    expect(posts[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends Authorization: Bearer only when a key is set', async () => {
    await setup();
    await client({ apiKey: KEY }).getByHash(sha(1));
    await client().getByHash(sha(1));
    await client({ apiKey: '' }).getByHash(sha(1));
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, undefined, undefined]);
    expect(fake.requests[0]?.headers['user-agent']).toMatch(/ModelHub/);
  });

  it('says when the server has no batch endpoint, or is not the CivitAI API at all', async () => {
    await setup({ batch: 405 });
    expect((await expectError(client().postByHashes([sha(1)]))).code).toBe('ERR_MODELHUB_CIVITAI_NO_BATCH');
    const wrong = new CivitaiClient({ baseUrl: fake.baseUrl.replace('/api/v1', ''), minIntervalMs: 0 });
    const err = await expectError(wrong.getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_WRONG_URL');
    expect(err.hint).toMatch(/base_url/);
    expect(() => new CivitaiClient({ baseUrl: 'not a url' })).toThrow(expect.objectContaining({ code: 'ERR_MODELHUB_CIVITAI_CONFIG' }));
  });
});

describe('CivitaiClient failures', () => {
  it('waits for Retry-After on 429, then succeeds', async () => {
    await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    fake.scriptHash(sha(1), { status: 429, headers: { 'Retry-After': '1' }, body: { error: 'Rate limit exceeded, please retry shortly.' } });
    const clock = fakeClock();
    expect(await client({ now: clock.now, sleep: clock.sleep }).getByHash(sha(1))).not.toBeNull();
    expect(fake.requests).toHaveLength(2);
    expect(clock.slept.reduce((a, b) => a + b, 0), 'waited the 1 s Retry-After asked for, on the injected clock').toBeGreaterThanOrEqual(1000);
  });

  it('fails at once when Retry-After is longer than it is willing to wait', async () => {
    await setup();
    fake.scriptHash(sha(1), { status: 429, headers: { 'Retry-After': '3600' } });
    const err = await expectError(client().getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_RATE_LIMITED');
    expect(err.message).toMatch(/Retry-After: 3600/);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 500 with backoff, and gives up after maxRetries', async () => {
    await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    fake.scriptHash(sha(1), { status: 500 });
    expect(await client().getByHash(sha(1))).not.toBeNull();
    expect(fake.requests).toHaveLength(2);

    fake.scriptHash(sha(1), { status: 503 }, Infinity);
    const err = await expectError(client({ maxRetries: 2 }).getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_SERVER');
    expect(err.message).toMatch(/HTTP 503 .*\(3 attempts\)/);
    expect(fake.requests).toHaveLength(2 + 3);
  });

  it('retries a dropped connection', async () => {
    await setup();
    fake.addVersion({ files: [{ sha256: sha(1) }] });
    fake.scriptRequest(1, { drop: true });
    expect(await client().getByHash(sha(1))).not.toBeNull();
    expect(fake.requests).toHaveLength(2);
  });

  it('times out a slow answer', async () => {
    await setup();
    fake.scriptHash(sha(1), { delayMs: 2000 }, Infinity);
    const clock = fakeClock();
    const err = await expectError(client({ timeoutMs: 200, maxRetries: 1, sleep: clock.sleep, now: clock.now }).getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_TIMEOUT');
    expect(err.message).toMatch(/within 200 ms \(2 attempts\)/);
    expect(fake.requests).toHaveLength(2);
    expect(clock.slept, 'one backoff between the two attempts').toHaveLength(1);
  });

  it('reports malformed JSON with the URL and without the key', async () => {
    await setup();
    fake.scriptHash(sha(1), { malformed: true });
    const err = await expectError(client({ apiKey: KEY }).getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_BAD_RESPONSE');
    expect(err.message).toContain(`${fake.baseUrl}/model-versions/by-hash/${sha(1).toUpperCase()}`);
    expect(JSON.stringify({ ...err.toJSON(), stack: err.stack })).not.toContain(KEY);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 401, and never repeats the key even when the server echoes it', async () => {
    await setup();
    fake.scriptHash(sha(1), { status: 401, body: { error: `invalid token ${KEY}` } });
    const err = await expectError(client({ apiKey: KEY }).getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_AUTH');
    expect(err.message).toContain('invalid token ***');
    expect(JSON.stringify(err.toJSON())).not.toContain(KEY);
    expect(fake.requests).toHaveLength(1);
  });

  it('says clearly when CivitAI cannot be reached, at once: a refused connection is not retried', async () => {
    await setup();
    const baseUrl = fake.baseUrl;
    await fake.close();
    const slept: number[] = [];
    const c = new CivitaiClient({ baseUrl, apiKey: KEY, maxRetries: 4, backoffMs: 10, minIntervalMs: 0, sleep: async (ms) => void slept.push(ms) });
    const err = await expectError(c.getByHash(sha(1)));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_UNREACHABLE');
    expect(err.message).toMatch(new RegExp(`^cannot reach CivitAI at ${baseUrl}: .*ECONNREFUSED`));
    expect(err.hint).toBe('check your connection, or pass --offline');
    expect(err.message).not.toContain(KEY);
    expect(c.attempts).toBe(1);
    expect(slept).toEqual([]);
    // Later requests of the same run fail the same way without trying again.
    expect((await expectError(c.postByHashes([sha(2)]))).code).toBe('ERR_MODELHUB_CIVITAI_UNREACHABLE');
    expect(c.attempts).toBe(1);
  });

  it('ends the lookup at once when the name does not resolve', async () => {
    const slept: number[] = [];
    const c = new CivitaiClient({ baseUrl: 'http://nonexistent.invalid/api/v1', maxRetries: 4, backoffMs: 1000, minIntervalMs: 0, sleep: async (ms) => void slept.push(ms) });
    const err = await expectError(c.postByHashes([sha(1)]));
    expect(err.code).toBe('ERR_MODELHUB_CIVITAI_UNREACHABLE');
    expect(err.message).toMatch(/^cannot reach CivitAI at http:\/\/nonexistent\.invalid\/api\/v1: .*(ENOTFOUND|EAI_AGAIN)/);
    expect(c.attempts).toBe(1);
    expect(slept).toEqual([]);
  });

  it('still retries a dropped connection and a 5xx, with backoff', async () => {
    await setup();
    fake.scriptRequest(1, { drop: true });
    fake.scriptRequest(2, { status: 503 });
    const slept: number[] = [];
    const c = new CivitaiClient({ baseUrl: fake.baseUrl, maxRetries: 4, backoffMs: 10, minIntervalMs: 0, sleep: async (ms) => void slept.push(ms) });
    await c.getByHash(sha(1));
    expect(c.attempts).toBe(3);
    expect(slept).toHaveLength(2);
  });
});

describe('CivitaiClient pacing', () => {
  it('spaces request starts by minIntervalMs', async () => {
    await setup();
    const clock = fakeClock();
    const c = client({ minIntervalMs: 100, concurrency: 4, now: clock.now, sleep: clock.sleep });
    await Promise.all([1, 2, 3, 4].map((i) => c.getByHash(sha(i))));
    expect(fake.requests).toHaveLength(4);
    // Every start after the first waited for its turn on the injected clock: four starts span 300 ms.
    expect(clock.slept).toHaveLength(3);
    expect(clock.slept.every((ms) => ms > 0)).toBe(true);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(300);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    await setup({ delayMs: 80 });
    const c = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => c.getByHash(sha(i))));
    expect(fake.requests).toHaveLength(7);
    expect(fake.maxInFlight).toBe(2);
  });
});
