import { NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';

/**
 * The `:id` of a directory route. Something that is not a UUID names nothing
 * the caller could see, so it is a 404 like any unknown id — never a 400 that
 * would tell it apart.
 */
export const PathId = (what: string): ParameterDecorator =>
  Param(
    'id',
    new ParseUUIDPipe({
      errorHttpStatusCode: 404,
      exceptionFactory: () => new NotFoundException(`${what} not found.`),
    }),
  );
