import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyToken, type Viewer } from '@stockline/auth';
import { SubgraphDataSource } from '../../src/datasources/subgraph-data-source.ts';
import { createWriteEpochs } from '../../src/datasources/write-epochs.ts';

const SECRET = 'subgraph-data-source-test-secret-0123456789';

/** A real HTTP subgraph that records what it receives and answers after `delayMs`. */
let server: Server;
let url: string;
let received: { body: any; headers: IncomingMessage['headers'] }[] = [];
let delayMs = 0;
let answer: (body: any) => { status?: number; json: unknown } = () => ({ json: { data: { ok: true } } });

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      received.push({ body, headers: req.headers });
      setTimeout(() => {
        const { status = 200, json } = answer(body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  delayMs = 0;
  answer = () => ({ json: { data: { ok: true } } });
});

function viewer(tenantId: string, userId = 'user-1'): Viewer {
  return { tenantId, userId, roles: ['admin'] as Viewer['roles'], scopes: [], token: 'client-token', keyId: null, expiresAt: null };
}

/** What the gateway hands a data source for one fetch of an incoming `operation`. */
function fetchOf(operation: 'query' | 'mutation', context: { viewer: Viewer; requestId?: string }, request: { query: string; variables?: Record<string, unknown> }) {
  return {
    kind: 'incoming operation',
    request,
    context: { token: 'client-token', requestId: context.requestId ?? 'req-1', ...context },
    incomingRequestContext: { operation: { operation } },
  } as any;
}

function source(writeEpochs = createWriteEpochs()) {
  return new SubgraphDataSource({ url, timeoutMs: 5_000, jwtSecret: SECRET, writeEpochs });
}

describe('SubgraphDataSource', () => {
  it('forwards an internal token for the caller and the request id', async () => {
    const ds = source();
    await ds.process(fetchOf('query', { viewer: viewer('t1'), requestId: 'req-42' }, { query: '{ ok }' }));
    await ds.close();
    const [{ headers }] = received;
    expect(headers['x-request-id']).toBe('req-42');
    const forwarded = await verifyToken(String(headers.authorization).replace(/^Bearer /, ''), SECRET);
    expect(forwarded).toMatchObject({ tenantId: 't1', userId: 'user-1', roles: ['admin'] });
  });

  it('sends identical reads in flight at the same time once, and gives each caller its own copy of the answer', async () => {
    delayMs = 100;
    answer = () => ({ json: { data: { items: [{ id: 'a' }] } } });
    const ds = source();
    const answers = await Promise.all(Array.from({ length: 5 }, () => ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ items { id } }' }))));
    await ds.close();
    expect(received).toHaveLength(1);
    expect(answers.map((a) => a.data)).toEqual(Array(5).fill({ items: [{ id: 'a' }] }));
    (answers[0].data as any).items[0].id = 'changed by the first caller';
    expect((answers[1].data as any).items[0].id).toBe('a');
  });

  it('never lets reads of different tenants, callers or variables share a call', async () => {
    delayMs = 100;
    const ds = source();
    await Promise.all([
      ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ ok }' })),
      ds.process(fetchOf('query', { viewer: viewer('t2') }, { query: '{ ok }' })),
      ds.process(fetchOf('query', { viewer: viewer('t1', 'user-2') }, { query: '{ ok }' })),
      ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ ok }', variables: { x: 1 } })),
    ]);
    await ds.close();
    expect(received).toHaveLength(4);
  });

  it('sends every mutation, even identical ones at the same time', async () => {
    delayMs = 50;
    const ds = source();
    await Promise.all(Array.from({ length: 3 }, () => ds.process(fetchOf('mutation', { viewer: viewer('t1') }, { query: 'mutation { adjust }' }))));
    await ds.close();
    expect(received).toHaveLength(3);
  });

  it('does not give a read sent after a mutation answered the answer of a read that started before it', async () => {
    const epochs = createWriteEpochs();
    const ds = source(epochs);
    delayMs = 300;
    const before = ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ ok }' }));
    await new Promise((r) => setTimeout(r, 20));
    delayMs = 0;
    await ds.process(fetchOf('mutation', { viewer: viewer('t1') }, { query: 'mutation { adjust }' }));
    const after = ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ ok }' }));
    await Promise.all([before, after]);
    await ds.close();
    expect(received.map((r) => r.body.query)).toEqual(['{ ok }', 'mutation { adjust }', '{ ok }']);
  });

  it('sends each distinct entity representation once and answers every original position', async () => {
    answer = (body) => ({ json: { data: { _entities: body.variables.representations.map((r: { id: string }) => ({ __typename: 'Location', code: `code-${r.id}` })) } } });
    const ds = source();
    const representations = [{ __typename: 'Location', id: 'L1' }, { __typename: 'Location', id: 'L2' }, { __typename: 'Location', id: 'L1' }, { __typename: 'Location', id: 'L1' }];
    const response = await ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Location { code } } }', variables: { representations } }));
    await ds.close();
    expect(received[0].body.variables.representations).toEqual([{ __typename: 'Location', id: 'L1' }, { __typename: 'Location', id: 'L2' }]);
    const entities = (response.data as any)._entities;
    expect(entities.map((e: { code: string }) => e.code)).toEqual(['code-L1', 'code-L2', 'code-L1', 'code-L1']);
    expect(entities[0]).not.toBe(entities[2]);
  });

  it('points an error on a deduplicated entity at its first original position', async () => {
    answer = () => ({ json: { data: { _entities: [null, { code: 'x' }] }, errors: [{ message: 'Location not found', path: ['_entities', 0, 'code'], extensions: { code: 'NOT_FOUND' } }] } });
    const ds = source();
    const representations = [{ __typename: 'Location', id: 'L2' }, { __typename: 'Location', id: 'L9' }, { __typename: 'Location', id: 'L9' }].reverse();
    const response = await ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: 'q', variables: { representations } }));
    await ds.close();
    expect((response.data as any)._entities).toEqual([null, null, { code: 'x' }]);
    expect(response.errors?.[0].path).toEqual(['_entities', 0, 'code']);
  });

  it('answers a non-2xx subgraph answer with Apollo\'s error shape and code', async () => {
    answer = () => ({ status: 401, json: { errors: [{ message: 'no' }] } });
    const ds = source();
    const failure = await ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ ok }' })).catch((e) => e);
    await ds.close();
    expect(failure.message).toBe('401: Unauthorized');
    expect(failure.extensions).toMatchObject({ code: 'UNAUTHENTICATED', response: { status: 401, body: { errors: [{ message: 'no' }] } } });
  });

  it('answers SERVICE_UNAVAILABLE at each root field of the fetch, naming the subgraph, when the subgraph is not listening', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const ds = new SubgraphDataSource({ url: `http://127.0.0.1:${port}/graphql`, name: 'analytics', timeoutMs: 2_000, jwtSecret: SECRET, writeEpochs: createWriteEpochs() });
    const answer = await ds.process(fetchOf('query', { viewer: viewer('t1') }, { query: '{ ok lag: analyticsLag { position } __typename }' }));
    await ds.close();
    expect(answer.data).toBeNull();
    expect(answer.errors!.map((e) => [e.path, e.extensions])).toEqual([
      [['ok'], { code: 'SERVICE_UNAVAILABLE', serviceName: 'analytics' }],
      [['lag'], { code: 'SERVICE_UNAVAILABLE', serviceName: 'analytics' }],
    ]);
  });

  it('answers SERVICE_UNAVAILABLE per entity and field of an entity fetch when the subgraph answers 503', async () => {
    answer = () => ({ status: 503, json: { status: 'stopping' } });
    const ds = new SubgraphDataSource({ url, name: 'media', timeoutMs: 2_000, jwtSecret: SECRET, writeEpochs: createWriteEpochs() });
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Item { media { id } } } }';
    const result = await ds.process(fetchOf('query', { viewer: viewer('t1') }, { query, variables: { representations: [{ __typename: 'Item', id: 'a' }, { __typename: 'Item', id: 'b' }] } }));
    await ds.close();
    expect(result.errors!.map((e) => e.path)).toEqual([['_entities', 0, 'media'], ['_entities', 1, 'media']]);
    expect(result.errors!.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE' && e.extensions.serviceName === 'media')).toBe(true);
  });
});
