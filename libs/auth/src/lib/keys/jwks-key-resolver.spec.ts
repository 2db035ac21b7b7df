import { createServer, type Server } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { freePort } from '@helpdesk/testing';
import { Logger } from '@nestjs/common';
import { AccessTokenVerifier } from '../access-token/access-token-verifier';
import { InvalidAccessTokenError } from '../access-token/invalid-access-token.error';
import { generateSigningKey, publicJwkOf, signAccessToken } from '../test/access-token-signer';
import { JwksKeyResolver } from './jwks-key-resolver';

/** user-service's JWKS endpoint, serving whatever `jwks` holds and counting requests. */
class FakeJwksEndpoint {
  jwks: { keys: unknown[] } = { keys: [] };
  requests = 0;
  private server: Server | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
  }

  async start(): Promise<void> {
    this.server = createServer((_request, response) => {
      this.requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(this.jwks));
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const firstKey = generateSigningKey('key-1');
const secondKey = generateSigningKey('key-2');
let endpoint: FakeJwksEndpoint;
let now: number;

function resolverFor(options: { minRefreshIntervalMs?: number; maxAgeMs?: number } = {}) {
  return new JwksKeyResolver({ url: endpoint.url, timeoutMs: 1_000, clock: () => now, ...options });
}

beforeAll(() => Logger.overrideLogger(false)); // the failed fetches below are expected
afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

beforeEach(async () => {
  now = Date.now();
  endpoint = new FakeJwksEndpoint(await freePort());
  endpoint.jwks = { keys: [publicJwkOf(firstKey)] };
  await endpoint.start();
});

afterEach(() => endpoint.stop());

describe('JwksKeyResolver', () => {
  it('fetches the keys once and serves them from its cache', async () => {
    const resolver = resolverFor();

    const key = await resolver.resolve('key-1');
    await resolver.resolve('key-1');
    await resolver.resolve('key-1');

    expect(key?.equals(firstKey.publicKey)).toBe(true);
    expect(endpoint.requests).toBe(1);
  });

  it('shares one fetch between concurrent lookups', async () => {
    const resolver = resolverFor();

    await Promise.all([1, 2, 3, 4, 5].map(() => resolver.resolve('key-1')));

    expect(endpoint.requests).toBe(1);
  });

  it('refetches when it meets a kid it does not know (a rotated-in key)', async () => {
    const resolver = resolverFor({ minRefreshIntervalMs: 30_000 });
    await resolver.resolve('key-1');
    endpoint.jwks = { keys: [publicJwkOf(firstKey), publicJwkOf(secondKey)] };
    now += 30_000;

    const key = await resolver.resolve('key-2');

    expect(key?.equals(secondKey.publicKey)).toBe(true);
    expect(endpoint.requests).toBe(2);
  });

  it('refetches for unknown kids at most once per minimum refresh interval', async () => {
    const resolver = resolverFor({ minRefreshIntervalMs: 30_000 });
    await resolver.resolve('key-1');

    for (let attempt = 0; attempt < 50; attempt++) {
      expect(await resolver.resolve(`random-${attempt}`)).toBeUndefined();
    }
    expect(endpoint.requests).toBe(1);

    now += 30_000;
    await resolver.resolve('random-again');
    await resolver.resolve('random-and-again');
    expect(endpoint.requests).toBe(2);
  });

  it('refreshes keys older than the max age, so a removed key stops working', async () => {
    const resolver = resolverFor({ minRefreshIntervalMs: 1_000, maxAgeMs: 60_000 });
    expect(await resolver.resolve('key-1')).toBeDefined();
    endpoint.jwks = { keys: [publicJwkOf(secondKey)] };

    now += 59_000;
    expect(await resolver.resolve('key-1')).toBeDefined();
    expect(endpoint.requests).toBe(1);

    now += 1_000;
    expect(await resolver.resolve('key-1')).toBeUndefined();
    expect(endpoint.requests).toBe(2);
  });

  it('ignores keys that are not EC P-256 ES256 signature keys', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      format: 'jwk',
    });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
      format: 'jwk',
    });
    const p256 = (kid: string, extra: Record<string, unknown>) => ({
      ...publicJwkOf(generateSigningKey(kid)),
      ...extra,
    });
    endpoint.jwks = {
      keys: [
        { ...rsa, kid: 'rsa', alg: 'RS256', use: 'sig' },
        { ...p384, kid: 'p384', alg: 'ES256', use: 'sig' },
        p256('for-encryption', { use: 'enc' }),
        p256('other-alg', { alg: 'ES384' }),
        p256('no-alg', { alg: undefined }),
        { kty: 'oct', k: 'c2VjcmV0', kid: 'symmetric', alg: 'HS256', use: 'sig' },
        p256('bad kid!', {}),
        'not a key',
        publicJwkOf(firstKey),
      ],
    };
    const resolver = resolverFor();

    expect(await resolver.resolve('key-1')).toBeDefined();
    for (const kid of ['rsa', 'p384', 'for-encryption', 'other-alg', 'no-alg', 'symmetric']) {
      expect(await resolver.resolve(kid)).toBeUndefined();
    }
  });

  it('keeps its cached keys while the endpoint is down', async () => {
    const resolver = resolverFor({ minRefreshIntervalMs: 1_000, maxAgeMs: 5_000 });
    expect(await resolver.resolve('key-1')).toBeDefined();
    await endpoint.stop();

    now += 10_000; // stale: a refresh is attempted and fails
    expect(await resolver.resolve('key-1')).toBeDefined();
    expect(await resolver.resolve('key-2')).toBeUndefined();
  });

  it('answers unknown (not an error) when the endpoint was never reachable', async () => {
    await endpoint.stop();
    const resolver = resolverFor();

    await expect(resolver.resolve('key-1')).resolves.toBeUndefined();
  });

  it('behind the verifier: an unknown kid costs one refresh, then the token is refused', async () => {
    const resolver = resolverFor({ minRefreshIntervalMs: 30_000 });
    const verifier = new AccessTokenVerifier(resolver, 'helpdesk-user-service', 'helpdesk-api');
    await verifier.verify(signAccessToken(firstKey));
    expect(endpoint.requests).toBe(1);

    const forged = signAccessToken(generateSigningKey('never-published'));
    await expect(verifier.verify(forged)).rejects.toThrow(InvalidAccessTokenError);
    await expect(verifier.verify(forged)).rejects.toThrow('unknown kid');

    // The first one was inside the interval after the initial fetch, so no refresh at all yet.
    now += 30_000;
    await expect(verifier.verify(forged)).rejects.toThrow('unknown kid');
    await expect(verifier.verify(forged)).rejects.toThrow('unknown kid');
    expect(endpoint.requests).toBe(2);
  });
});
