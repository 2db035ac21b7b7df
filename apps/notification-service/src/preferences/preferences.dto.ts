import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsObject, ValidateNested } from 'class-validator';

export class EmailPreferencesBody {
  @ApiProperty({ description: 'a new ticket (agents) and the receipt of one’s own (requesters)' })
  @IsBoolean()
  ticketCreated!: boolean;
  @ApiProperty({ description: 'a ticket assigned to me' }) @IsBoolean() ticketAssigned!: boolean;
  @ApiProperty({ description: 'the status of my request changed' })
  @IsBoolean()
  ticketStatusChanged!: boolean;
  @ApiProperty({ description: 'a reply or note on a ticket I asked or am assigned' })
  @IsBoolean()
  commentAdded!: boolean;
  @ApiProperty({ description: 'an SLA target missed (assignee, managers)' })
  @IsBoolean()
  slaBreached!: boolean;
}

/** PUT replaces the whole object: all five booleans are required, unknown fields are 400. */
export class PreferencesBody {
  @ApiProperty({ type: EmailPreferencesBody })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EmailPreferencesBody)
  email!: EmailPreferencesBody;
}

export class PreferencesView {
  @ApiProperty({ type: EmailPreferencesBody }) email!: EmailPreferencesBody;
}
