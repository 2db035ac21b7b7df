import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public } from '@helpdesk/auth';
import { ApiProblemResponse, PageQuery, type Paginated } from '@helpdesk/http';
import {
  ChangePasswordBody,
  ForgotPasswordBody,
  LoginBody,
  LoginView,
  MeView,
  RefreshBody,
  RegisterBody,
  ResetPasswordBody,
  SessionView,
  SignUpBody,
  SignUpView,
  TokensView,
} from './auth.dto';
import { Client, type ClientInfo } from './client-info';
import { ChangePasswordCommand } from './commands/change-password.handler';
import { LogInCommand } from './commands/log-in.handler';
import { LogOutCommand } from './commands/log-out.handler';
import { RefreshSessionCommand } from './commands/refresh-session.handler';
import { RegisterCommand } from './commands/register.handler';
import { RequestPasswordResetCommand } from './commands/request-password-reset.handler';
import { ResetPasswordCommand } from './commands/reset-password.handler';
import { RevokeSessionCommand } from './commands/revoke-session.handler';
import { SignUpCommand } from './commands/sign-up.handler';
import { GetMeQuery } from './queries/get-me.handler';
import { ListSessionsQuery } from './queries/list-sessions.handler';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Public()
  @Post('signup')
  @ApiOperation({ summary: 'Create an organization; the signer becomes its admin' })
  @ApiResponse({ status: 201, type: SignUpView })
  @ApiProblemResponse(409, 'The organization slug is taken')
  signUp(@Body() body: SignUpBody, @Client() client: ClientInfo): Promise<SignUpView> {
    return this.commands.execute(new SignUpCommand(body, client));
  }

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Join an organization as a requester (if it allows self-registration)' })
  @ApiResponse({ status: 201, type: SignUpView })
  @ApiProblemResponse(403, 'The organization does not accept self-registration')
  @ApiProblemResponse(409, 'The e-mail is already registered in this organization')
  register(@Body() body: RegisterBody, @Client() client: ClientInfo): Promise<SignUpView> {
    return this.commands.execute(new RegisterCommand(body, client));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: LoginView })
  @ApiProblemResponse(401, 'Wrong organization, e-mail or password (one answer for all)')
  @ApiProblemResponse(429, 'Too many failed attempts for this account or address')
  logIn(@Body() body: LoginBody, @Client() client: ClientInfo): Promise<LoginView> {
    return this.commands.execute(new LogInCommand(body, client));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new token pair; the refresh token used stops working' })
  @ApiResponse({ status: 200, type: TokensView })
  @ApiProblemResponse(401, 'Invalid, expired, rotated or revoked refresh token')
  refresh(@Body() body: RefreshBody, @Client() client: ClientInfo): Promise<TokensView> {
    return this.commands.execute(new RefreshSessionCommand(body.refreshToken, client));
  }

  @ApiBearerAuth('bearer')
  @Post('logout')
  @HttpCode(204)
  async logOut(@CurrentActor() actor: Actor): Promise<void> {
    await this.commands.execute(new LogOutCommand(actor));
  }

  @Public()
  @Post('forgot-password')
  @HttpCode(202)
  @ApiOperation({ summary: 'Always 202; mails a reset link when the account exists' })
  async forgotPassword(@Body() body: ForgotPasswordBody): Promise<void> {
    await this.commands.execute(new RequestPasswordResetCommand(body.organizationSlug, body.email));
  }

  @Public()
  @Post('reset-password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a password with a reset or invitation token (single use)' })
  @ApiProblemResponse(400, 'Invalid or expired token, or a password the policy refuses')
  async resetPassword(@Body() body: ResetPasswordBody): Promise<void> {
    await this.commands.execute(new ResetPasswordCommand(body.token, body.newPassword));
  }

  @ApiBearerAuth('bearer')
  @Post('change-password')
  @HttpCode(204)
  @ApiProblemResponse(
    400,
    'Wrong current password (errors names currentPassword) or a refused new one',
  )
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() body: ChangePasswordBody,
  ): Promise<void> {
    await this.commands.execute(
      new ChangePasswordCommand(actor, body.currentPassword, body.newPassword),
    );
  }

  @ApiBearerAuth('bearer')
  @Get('me')
  @ApiResponse({ status: 200, type: MeView })
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.queries.execute(new GetMeQuery(actor));
  }

  @ApiBearerAuth('bearer')
  @Get('sessions')
  @ApiOperation({ summary: 'The caller’s live sessions' })
  sessions(
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
  ): Promise<Paginated<SessionView>> {
    return this.queries.execute(new ListSessionsQuery(actor, page));
  }

  @ApiBearerAuth('bearer')
  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiProblemResponse(404, 'No such session of the caller')
  async revokeSession(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 404 })) id: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeSessionCommand(actor, id));
  }
}
