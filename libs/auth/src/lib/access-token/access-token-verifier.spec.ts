import { generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { encodeJsonSegment } from '../jws/compact-jws';
import {
  FixedKeys,
  generateSigningKey,
  signAccessToken,
  signWithHmac,
  validClaims,
} from '../test/access-token-signer';
import { AccessTokenVerifier } from './access-token-verifier';
import { InvalidAccessTokenError } from './invalid-access-token.error';

const ISSUER = 'helpdesk-user-service';
const AUDIENCE = 'helpdesk-api';

const signingKey = generateSigningKey('current');
const revokedSessions = new Set<string>();
const keys = new FixedKeys(signingKey);
let now = Date.now();
const verifier = new AccessTokenVerifier(
  keys,
  ISSUER,
  AUDIENCE,
  { isRevoked: (sessionId) => revokedSessions.has(sessionId) },
  () => now,
);

beforeEach(() => {
  now = Date.now();
});

async function refusal(token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

function withPayload(token: string, claims: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encodeJsonSegment(claims)}.${signature}`;
}

describe('AccessTokenVerifier', () => {
  it('accepts a token user-service signed and says who it speaks for', async () => {
    const claims = validClaims({ role: 'manager' });

    const actor = await verifier.verify(signAccessToken(signingKey, claims));

    expect(actor).toEqual({
      userId: claims['sub'],
      organizationId: claims['tid'],
      role: 'manager',
      sessionId: claims['sid'],
      tokenId: claims['jti'],
      expiresAt: new Date((claims['exp'] as number) * 1000),
    });
  });

  describe('refuses tokens not signed with ES256 by our key', () => {
    it('alg none with an empty signature', async () => {
      const unsigned = `${encodeJsonSegment({ alg: 'none', typ: 'at+jwt', kid: 'current' })}.${encodeJsonSegment(validClaims())}.`;
      expect(await refusal(unsigned)).toMatch(/malformed/);
    });

    it('alg none with some signature', async () => {
      const token = signAccessToken(signingKey, validClaims(), { alg: 'none' });
      expect(await refusal(token)).toBe('algorithm not allowed');
    });

    it('HS256 keyed with the public key (the algorithm-confusion attack)', async () => {
      const publicPem = signingKey.publicKey.export({ format: 'pem', type: 'spki' });
      const token = signWithHmac(
        { alg: 'HS256', typ: 'at+jwt', kid: 'current' },
        validClaims({ role: 'admin' }),
        publicPem,
      );
      expect(await refusal(token)).toBe('algorithm not allowed');
    });

    it('RS256 with another key', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const input = `${encodeJsonSegment({ alg: 'RS256', typ: 'at+jwt', kid: 'current' })}.${encodeJsonSegment(validClaims())}`;
      const token = `${input}.${signBytes('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
      expect(await refusal(token)).toBe('algorithm not allowed');
    });

    it('ES256 by a key that is not ours under our kid', async () => {
      const impostor = generateSigningKey('current');
      expect(await refusal(signAccessToken(impostor))).toBe('bad signature');
    });

    it('a tampered payload (role raised to admin)', async () => {
      const claims = validClaims({ role: 'requester' });
      const token = withPayload(signAccessToken(signingKey, claims), { ...claims, role: 'admin' });
      expect(await refusal(token)).toBe('bad signature');
    });

    it('a key sent along in the header (jwk) is never used', async () => {
      const attacker = generateSigningKey('current');
      const token = signAccessToken(attacker, validClaims(), {
        jwk: attacker.publicKey.export({ format: 'jwk' }),
        jku: 'http://attacker.example/jwks.json',
      });
      expect(await refusal(token)).toBe('bad signature');
    });
  });

  describe('refuses what is not an access token', () => {
    it.each([
      ['empty', ''],
      ['two parts', 'a.b'],
      ['four parts', 'a.b.c.d'],
      ['not base64url', 'a$.b.c'],
      ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`],
    ])('malformed: %s', async (_case, token) => {
      expect(await refusal(token)).toMatch(/^malformed/);
    });

    it('missing typ', async () => {
      expect(await refusal(signAccessToken(signingKey, validClaims(), { typ: undefined }))).toBe(
        'not an access token (typ)',
      );
    });

    it('a service token type', async () => {
      const token = signAccessToken(signingKey, validClaims(), { typ: 'service+jwt' });
      expect(await refusal(token)).toBe('not an access token (typ)');
    });

    it('a critical header extension', async () => {
      const token = signAccessToken(signingKey, validClaims(), { crit: ['exp'] });
      expect(await refusal(token)).toBe('critical header not understood');
    });
  });

  describe('keys', () => {
    it('refuses a missing or unsafe kid without asking the resolver', async () => {
      const asked = keys.requested.length;
      expect(await refusal(signAccessToken(signingKey, validClaims(), { kid: undefined }))).toBe(
        'missing or invalid kid',
      );
      expect(await refusal(signAccessToken(signingKey, validClaims(), { kid: '../../etc' }))).toBe(
        'missing or invalid kid',
      );
      expect(
        await refusal(signAccessToken(signingKey, validClaims(), { kid: 'k'.repeat(129) })),
      ).toBe('missing or invalid kid');
      expect(keys.requested.length).toBe(asked);
    });

    it('refuses a kid the resolver does not know', async () => {
      const rotatedAway = generateSigningKey('retired');
      expect(await refusal(signAccessToken(rotatedAway))).toBe('unknown kid');
      expect(keys.requested.at(-1)).toBe('retired');
    });
  });

  describe('time', () => {
    it('refuses an expired token', async () => {
      const token = signAccessToken(signingKey);
      now += 900_000 + 31_000;
      expect(await refusal(token)).toBe('expired');
    });

    it('allows up to 30 s of clock skew on expiry', async () => {
      const token = signAccessToken(signingKey);
      now += 900_000 + 29_000;
      await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'agent' });
    });

    it('refuses a token issued in the future beyond the skew', async () => {
      const iat = Math.floor(now / 1000) + 60;
      const token = signAccessToken(signingKey, validClaims({ iat, exp: iat + 900 }));
      expect(await refusal(token)).toBe('issued in the future');
    });

    it('refuses a token not valid yet (nbf) beyond the skew', async () => {
      const token = signAccessToken(signingKey, validClaims({ nbf: Math.floor(now / 1000) + 120 }));
      expect(await refusal(token)).toBe('not yet valid');
    });

    it('refuses a token living longer than the revocation list remembers', async () => {
      const iat = Math.floor(now / 1000);
      const token = signAccessToken(signingKey, validClaims({ iat, exp: iat + 3600 }));
      expect(await refusal(token)).toBe('lifetime too long');
    });
  });

  describe('claims', () => {
    it('refuses another issuer', async () => {
      const token = signAccessToken(signingKey, validClaims({ iss: 'someone-else' }));
      expect(await refusal(token)).toBe('wrong issuer');
    });

    it('refuses another audience, including a list', async () => {
      expect(
        await refusal(signAccessToken(signingKey, validClaims({ aud: 'admin-console' }))),
      ).toBe('wrong audience');
      expect(await refusal(signAccessToken(signingKey, validClaims({ aud: [AUDIENCE] })))).toBe(
        'wrong audience',
      );
    });

    it.each([
      ['sub', { sub: 'not-a-uuid' }, 'sub is not a uuid'],
      ['sub', { sub: undefined }, 'sub is not a uuid'],
      ['tid', { tid: 42 }, 'tid is not a uuid'],
      ['sid', { sid: null }, 'sid is not a uuid'],
      ['jti', { jti: ['x'] }, 'jti is not a uuid'],
      ['role', { role: 'superuser' }, 'unknown role'],
      ['role', { role: undefined }, 'unknown role'],
      ['exp', { exp: '9999999999' }, 'exp missing or not a number'],
      ['iat', { iat: undefined }, 'iat missing or not a number'],
    ])('refuses a bad %s', async (_claim, overrides, reason) => {
      expect(await refusal(signAccessToken(signingKey, validClaims(overrides)))).toBe(reason);
    });

    it('refuses a payload that is not an object', async () => {
      const input = `${encodeJsonSegment({ alg: 'ES256', typ: 'at+jwt', kid: 'current' })}.${encodeJsonSegment([1, 2])}`;
      const signature = signBytes('sha256', Buffer.from(input), {
        key: signingKey.privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      expect(await refusal(`${input}.${signature.toString('base64url')}`)).toMatch(/^malformed/);
    });
  });

  it('refuses a token of a revoked session', async () => {
    const claims = validClaims();
    const token = signAccessToken(signingKey, claims);
    await expect(verifier.verify(token)).resolves.toBeDefined();

    revokedSessions.add(claims['sid'] as string);

    expect(await refusal(token)).toBe('session revoked');
  });

  describe('a token accepted before is still checked in full on time, key and revocation', () => {
    it('is refused once it expires', async () => {
      const claims = validClaims();
      const token = signAccessToken(signingKey, claims);
      await expect(verifier.verify(token)).resolves.toBeDefined();

      now = ((claims['exp'] as number) + 31) * 1000;

      expect(await refusal(token)).toBe('expired');
    });

    it('is refused once its key is replaced or retired', async () => {
      const rotatingKeys = new Map([[signingKey.kid, signingKey.publicKey]]);
      const rotating = new AccessTokenVerifier(
        { resolve: async (kid) => rotatingKeys.get(kid) },
        ISSUER,
        AUDIENCE,
      );
      const token = signAccessToken(signingKey);
      await expect(rotating.verify(token)).resolves.toBeDefined();

      rotatingKeys.set(signingKey.kid, generateSigningKey(signingKey.kid).publicKey);
      await expect(rotating.verify(token)).rejects.toThrow('bad signature');

      rotatingKeys.delete(signingKey.kid);
      await expect(rotating.verify(token)).rejects.toThrow('unknown kid');
    });
  });
});
