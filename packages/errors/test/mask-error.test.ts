import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maskError } from '../src/index.ts';

const format = maskError();
const wrapped = (original: Error) => new GraphQLError(original.message, { originalError: original });
const formatted = { message: 'x', path: ['adjustStock'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };

describe('maskError', () => {
  it('answers SERVICE_UNAVAILABLE when the pool cannot hand out a connection in time', () => {
    const r = format(formatted, wrapped(new Error('timeout exceeded when trying to connect')));
    expect(r.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(r.message).toMatch(/retry/);
  });

  it('answers SERVICE_UNAVAILABLE for a refused connection and for a shutting-down server', () => {
    expect(format(formatted, wrapped(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), { code: 'ECONNREFUSED' }))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(format(formatted, wrapped(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers SERVICE_UNAVAILABLE when Prisma says the server closed the connection (found by the PostgreSQL-down test)', () => {
    const prisma = Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation:\n\nRaw query failed. Code: `N/A`. Message: `Server has closed the connection.`'), { code: 'P2010' });
    expect(format(formatted, wrapped(prisma)).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it("answers SERVICE_UNAVAILABLE for Prisma's driver-adapter kinds of a lost database (ConnectionClosed in a transaction, found by the PostgreSQL-down test)", () => {
    for (const kind of ['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout']) {
      expect(format(formatted, wrapped(Object.assign(new Error(kind), { name: 'DriverAdapterError' }))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    }
  });

  it('answers SERVICE_UNAVAILABLE when a statement or transaction timeout fired, client side or server side', () => {
    expect(format(formatted, wrapped(new Error('Query read timeout'))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(format(formatted, wrapped(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(format(formatted, wrapped(Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' }))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers SERVICE_UNAVAILABLE when a subgraph closed the connection mid-answer (found by the bank chaos test: a SIGKILLed subgraph gave the gateway INTERNAL_SERVER_ERROR)', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const fetchFailed = new TypeError('fetch failed', { cause: socket });
    expect(format(formatted, wrapped(fetchFailed)).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(format(formatted, wrapped(new Error('fetch failed: other side closed'))).extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers SERVICE_UNAVAILABLE for a statement timeout Prisma reports only in its message (found by the bank chaos test: placeOrder waiting on the order counter)', () => {
    const prisma = Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `57014`. Message: `canceling statement due to statement timeout`'), { code: 'P2010' });
    expect(format(formatted, wrapped(prisma)).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const constraint = Object.assign(new Error('Raw query failed. Code: `23505`. Message: `duplicate key value violates unique constraint`'), { code: 'P2010' });
    expect(format(formatted, wrapped(constraint)).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('still hides any other failure as INTERNAL_SERVER_ERROR with a generic message', () => {
    const r = format(formatted, wrapped(Object.assign(new Error('new row violates check constraint'), { code: '23514' })));
    expect(r).toEqual({ message: 'Internal server error', path: ['adjustStock'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
