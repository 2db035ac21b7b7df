import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { AccessTokenVerifier, CurrentService, InternalOnly } from '@helpdesk/auth';
import { SessionTokens } from '../identity/session-tokens';
import { DirectorySnapshotController } from './directory-snapshot.controller';
import { TenantScopes } from '../tenancy/tenant-scope';
import { UserSchema } from '../persistence/schemas';
import { toUserView, type UserView } from '../users/user.view';

class ValidateTokenBody {
  @ApiProperty({ description: 'an access token a caller was given' })
  @IsString()
  @Length(1, 8192)
  token!: string;
}

/** RFC 7662-style introspection: `active: false` for any token that would be refused. */
export interface TokenValidation {
  active: boolean;
  user?: UserView;
  sessionId?: string;
  expiresAt?: string;
}

/**
 * For services that must be sure *now* (not within seconds) that a token is
 * still good — e.g. before an irreversible action. Not routed by the gateway;
 * needs a service token.
 */
@ApiTags('internal')
@Controller('internal/auth')
export class InternalAuthController {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionTokens,
    private readonly scopes: TenantScopes,
  ) {}

  @InternalOnly()
  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Is this access token valid right now? (service tokens only)' })
  async validate(
    @Body() body: ValidateTokenBody,
    @CurrentService() _caller: string,
  ): Promise<TokenValidation> {
    const actor = await this.verifier.verify(body.token).catch(() => undefined);
    if (!actor) return { active: false };
    const session = await this.sessions.findSession(actor.sessionId);
    if (!session || !session.isActive() || session.tenantId !== actor.organizationId)
      return { active: false };
    const user = await this.scopes
      .repository(UserSchema, actor.organizationId)
      .findOne({ id: actor.userId });
    if (!user || !user.active) return { active: false };
    return {
      active: true,
      user: toUserView(user),
      sessionId: session.id,
      expiresAt: actor.expiresAt.toISOString(),
    };
  }
}

@Module({ controllers: [InternalAuthController, DirectorySnapshotController] })
export class InternalModule {}
