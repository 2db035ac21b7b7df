import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { OrganizationView } from '../organization/organization.view';
import { UserView } from '../users/user.view';

/**
 * Request bodies of /auth. Password rules beyond type and size (length ≥ 10,
 * not the e-mail, not common) are the domain's password policy, checked by
 * the handlers so that they can compare with the e-mail.
 */
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const SLUG_MESSAGE = 'must be lowercase letters, digits and inner hyphens';

export class OrganizationSlugField {
  @ApiProperty({ example: 'acme', maxLength: 63 })
  @IsString()
  @Length(2, 63)
  @Matches(SLUG, { message: SLUG_MESSAGE })
  organizationSlug!: string;
}

export class SignUpBody extends OrganizationSlugField {
  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @Length(1, 200)
  organizationName!: string;

  @ApiProperty({ example: 'Ada Admin' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: 'ada@acme.test' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 10, maxLength: 128 }) @IsString() @MaxLength(1024) password!: string;
}

export class RegisterBody extends OrganizationSlugField {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 10, maxLength: 128 }) @IsString() @MaxLength(1024) password!: string;
}

/** Login is lenient about shape (any string), so a malformed e-mail is simply a wrong credential. */
export class LoginBody {
  @ApiProperty() @IsString() @Length(1, 63) organizationSlug!: string;
  @ApiProperty() @IsString() @Length(1, 254) email!: string;
  @ApiProperty() @IsString() @Length(1, 1024) password!: string;
}

export class RefreshBody {
  @ApiProperty() @IsString() @Length(1, 512) refreshToken!: string;
}

export class ForgotPasswordBody {
  @ApiProperty() @IsString() @Length(1, 63) organizationSlug!: string;
  @ApiProperty() @IsString() @Length(1, 254) email!: string;
}

export class ResetPasswordBody {
  @ApiProperty({ description: 'from the reset or invitation e-mail' })
  @IsString()
  @Length(1, 512)
  token!: string;

  @ApiProperty({ minLength: 10, maxLength: 128 }) @IsString() @MaxLength(1024) newPassword!: string;
}

export class ChangePasswordBody {
  @ApiProperty() @IsString() @Length(1, 1024) currentPassword!: string;
  @ApiProperty({ minLength: 10, maxLength: 128 }) @IsString() @MaxLength(1024) newPassword!: string;
}

export class TokensView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'opaque; rotated on every refresh' }) refreshToken!: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn!: number;
}

export class LoginView extends TokensView {
  @ApiProperty({ type: UserView }) user!: UserView;
}

export class SignUpView extends LoginView {
  @ApiProperty({ type: OrganizationView }) organization!: OrganizationView;
}

export class MeView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) departmentId!:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({ nullable: true, type: String }) userAgent!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ description: 'the session of the token making this request' }) current!: boolean;
}
