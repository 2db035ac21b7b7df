import { resolveRequestId } from './request-id';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it.each(['abc-123', 'req_1.2:3', 'A'.repeat(128), '3f1c6c1e-7a51-4a4e-9f3b-1f0e8d2b9c11'])(
    'keeps the client id %s',
    (clientId) => {
      expect(resolveRequestId(clientId)).toBe(clientId);
    },
  );

  it('generates a UUID v4 when the client sent none', () => {
    const first = resolveRequestId(undefined);
    const second = resolveRequestId(undefined);

    expect(first).toMatch(UUID_V4);
    expect(second).toMatch(UUID_V4);
    expect(first).not.toBe(second);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'abc def'],
    ['with a newline (log injection)', 'abc\n{"level":"error"}'],
    ['with a quote', 'abc"def'],
    ['too long', 'A'.repeat(129)],
    ['non-ASCII', 'réquête'],
  ])('replaces an id that is %s with a fresh UUID', (_why, clientId) => {
    expect(resolveRequestId(clientId)).toMatch(UUID_V4);
  });

  it('uses the first of repeated headers', () => {
    expect(resolveRequestId(['first-id', 'second-id'])).toBe('first-id');
  });
});
