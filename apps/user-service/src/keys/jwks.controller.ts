import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@helpdesk/auth';
import type { PublicJwk } from './signing-key';
import { SigningKeys } from './signing-keys';

/** Served at the root (`/.well-known/jwks.json`), outside the /api/v1 prefix. */
@ApiTags('keys')
@Controller()
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Public()
  @Get('.well-known/jwks.json')
  // Verifiers cache it; a rotated key is published a token lifetime before it matters.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys access tokens are signed with (ES256)' })
  jwks(): { keys: PublicJwk[] } {
    return this.keys.jwks();
  }
}
