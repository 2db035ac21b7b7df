/** A comment on a ticket. Internal ones are for staff only, always. */
export class Comment {
  id!: string;
  tenantId!: string;
  ticketId!: string;
  authorId!: string;
  body!: string;
  internal!: boolean;
  createdAt!: Date;

  static from(fields: { [K in keyof Comment]: Comment[K] }): Comment {
    return Object.assign(new Comment(), fields);
  }
}
