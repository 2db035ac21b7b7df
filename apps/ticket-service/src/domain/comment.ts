/** A comment on a ticket. Internal ones are for staff only, always. */
export class Comment {
  id!: string;
  tenantId!: string;
  ticketId!: string;
  authorId!: string;
  body!: string;
  internal!: boolean;
  createdAt!: Date;

  static from(draft: Omit<Comment, never>): Comment {
    return Object.assign(new Comment(), draft);
  }
}
