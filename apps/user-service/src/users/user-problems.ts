import { NotFoundException } from '@nestjs/common';
import { ProblemException } from '@helpdesk/http';

export function userNotFound(): NotFoundException {
  return new NotFoundException('User not found.');
}

export function emailTaken(): ProblemException {
  return new ProblemException(409, 'A user with this e-mail already exists in this organization.', {
    errors: [{ field: 'email', message: 'is already used in this organization' }],
  });
}
