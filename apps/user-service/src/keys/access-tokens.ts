import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TYPE,
  accessTokenAudience,
  accessTokenIssuer,
} from '@helpdesk/auth';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../config';
import type { Session } from '../domain/session';
import type { User } from '../domain/user';
import { SigningKeys } from './signing-keys';

export interface IssuedAccessToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
}

/** Signs the short-lived access tokens every service verifies locally (libs/auth). */
@Injectable()
export class AccessTokens {
  private readonly issuer = accessTokenIssuer();
  private readonly audience = accessTokenAudience();

  constructor(
    private readonly keys: SigningKeys,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  issue(user: User, session: Session): IssuedAccessToken {
    const key = this.keys.current();
    const expiresIn = this.settings.accessTokenTtlSeconds;
    const accessToken = jwt.sign(
      { tid: user.tenantId, role: user.role, sid: session.id },
      key.privateKey(),
      {
        algorithm: ACCESS_TOKEN_ALGORITHM,
        keyid: key.kid,
        header: { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: key.kid },
        issuer: this.issuer,
        audience: this.audience,
        subject: user.id,
        jwtid: randomUUID(),
        expiresIn,
      },
    );
    return { accessToken, expiresIn };
  }
}
