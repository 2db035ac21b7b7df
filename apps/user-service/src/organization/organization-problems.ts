import { NotFoundException } from '@nestjs/common';

export function organizationNotFound(): NotFoundException {
  return new NotFoundException('Organization not found.');
}
