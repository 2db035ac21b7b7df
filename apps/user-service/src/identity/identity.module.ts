import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { ChangePasswordHandler } from './commands/change-password.handler';
import { LogInHandler } from './commands/log-in.handler';
import { LogOutHandler } from './commands/log-out.handler';
import { RefreshSessionHandler } from './commands/refresh-session.handler';
import { RegisterHandler } from './commands/register.handler';
import { RequestPasswordResetHandler } from './commands/request-password-reset.handler';
import { ResetPasswordHandler } from './commands/reset-password.handler';
import { RevokeSessionHandler } from './commands/revoke-session.handler';
import { SignUpHandler } from './commands/sign-up.handler';
import { LoginThrottle } from './login-throttle';
import { GetMeHandler } from './queries/get-me.handler';
import { ListSessionsHandler } from './queries/list-sessions.handler';

/** Signing up, in and out; passwords; one's own sessions. */
@Module({
  controllers: [AuthController],
  providers: [
    LoginThrottle,
    SignUpHandler,
    RegisterHandler,
    LogInHandler,
    RefreshSessionHandler,
    LogOutHandler,
    RequestPasswordResetHandler,
    ResetPasswordHandler,
    ChangePasswordHandler,
    RevokeSessionHandler,
    GetMeHandler,
    ListSessionsHandler,
  ],
})
export class IdentityModule {}
