import { encodeJsonSegment } from '../jws/compact-jws';
import { signWithHmac } from '../test/access-token-signer';
import { serviceTokenSecret } from './service-token-secret';
import { InvalidServiceTokenError, ServiceTokens } from './service-tokens';

const secret = Buffer.from('a-shared-secret-that-is-long-enough-for-hs256');
let now = Date.now();
const clock = () => now;
const adminService = new ServiceTokens({ serviceName: 'admin-service', secret, clock });
const ticketService = new ServiceTokens({ serviceName: 'ticket-service', secret, clock });

function refusal(tokens: ServiceTokens, token: string): string {
  try {
    tokens.verify(token);
  } catch (error) {
    if (error instanceof InvalidServiceTokenError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
}

beforeEach(() => {
  now = Date.now();
});

describe('ServiceTokens', () => {
  it('issues a short-lived HS256 service+jwt from this service to the audience', () => {
    const token = adminService.issue('ticket-service');

    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
    const claims = claimsOf(token);
    expect(header).toEqual({ alg: 'HS256', typ: 'service+jwt' });
    expect(claims).toMatchObject({
      iss: 'admin-service',
      sub: 'admin-service',
      aud: 'ticket-service',
    });
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(60);
    expect(claims['jti']).toEqual(expect.any(String));
  });

  it('is accepted by the audience, which learns who calls', () => {
    expect(ticketService.verify(adminService.issue('ticket-service'))).toBe('admin-service');
  });

  it('is refused by any other service', () => {
    expect(refusal(ticketService, adminService.issue('audit-service'))).toBe('wrong audience');
  });

  it('is refused once expired', () => {
    const token = adminService.issue('ticket-service');
    now += 91_000;
    expect(refusal(ticketService, token)).toBe('expired');
  });

  it('is refused when signed with another secret', () => {
    const other = new ServiceTokens({ serviceName: 'admin-service', secret: Buffer.alloc(32, 7) });
    expect(refusal(ticketService, other.issue('ticket-service'))).toBe('bad signature');
  });

  it('is refused when the claims were changed', () => {
    const [header, , signature] = adminService.issue('audit-service').split('.');
    const claims = { ...claimsOf(adminService.issue('audit-service')), aud: 'ticket-service' };
    expect(refusal(ticketService, `${header}.${encodeJsonSegment(claims)}.${signature}`)).toBe(
      'bad signature',
    );
  });

  it('refuses other algorithms and types, whatever the signature', () => {
    const claims = claimsOf(adminService.issue('ticket-service'));
    const none = `${encodeJsonSegment({ alg: 'none', typ: 'service+jwt' })}.${encodeJsonSegment(claims)}.`;
    expect(refusal(ticketService, none)).toMatch(/^malformed/);
    expect(
      refusal(ticketService, signWithHmac({ alg: 'HS512', typ: 'service+jwt' }, claims, secret)),
    ).toBe('algorithm not allowed');
    expect(
      refusal(ticketService, signWithHmac({ alg: 'HS256', typ: 'at+jwt' }, claims, secret)),
    ).toBe('not a service token (typ)');
    expect(refusal(ticketService, signWithHmac({ alg: 'HS256' }, claims, secret))).toBe(
      'not a service token (typ)',
    );
  });

  it('refuses a token claiming a long life', () => {
    const claims = { ...claimsOf(adminService.issue('ticket-service')) };
    claims['exp'] = (claims['iat'] as number) + 3600;
    const token = signWithHmac({ alg: 'HS256', typ: 'service+jwt' }, claims, secret);
    expect(refusal(ticketService, token)).toBe('lifetime too long');
  });
});

describe('serviceTokenSecret', () => {
  it('takes SERVICE_TOKEN_SECRET', () => {
    expect(serviceTokenSecret({ SERVICE_TOKEN_SECRET: 's'.repeat(32) }).toString()).toBe(
      's'.repeat(32),
    );
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => serviceTokenSecret({ SERVICE_TOKEN_SECRET: 'short' })).toThrow(
      /at least 32 bytes/,
    );
  });

  it('has a development default, refused in production', () => {
    expect(serviceTokenSecret({ NODE_ENV: 'development' }).length).toBeGreaterThanOrEqual(32);
    expect(() => serviceTokenSecret({ NODE_ENV: 'production' })).toThrow(
      /must be set in production/,
    );
  });
});
