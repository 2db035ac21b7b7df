import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  Module,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import request from 'supertest';
import { BootedApp, bootApp } from '../../test-support/boot-app';
import { RuleViolation } from '@helpdesk/domain';
import { ProblemException } from './problem';

class AddressDto {
  @IsString()
  street!: string;

  @IsString()
  city!: string;
}

class ContactDto {
  @IsString()
  email!: string;
}

class CreateCustomerDto {
  @Length(1, 20)
  name!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

class SearchQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  size!: number;

  @IsOptional()
  @IsIn(['open', 'closed'])
  state?: string;
}

@Controller('customers')
class CustomersController {
  @Post()
  create(@Body() body: CreateCustomerDto): CreateCustomerDto {
    return body;
  }

  @Get('search')
  search(@Query() query: SearchQuery): SearchQuery {
    return query;
  }

  @Post('move')
  move(): never {
    throw new ProblemException(409, 'A closed ticket cannot move to open.', {
      extensions: { currentStatus: 'closed', allowedStatuses: [] },
    });
  }

  @Post('assign')
  assign(): never {
    throw ProblemException.invalidField('assigneeId', 'must be an agent of this organization');
  }

  @Post('rule/conflict')
  ruleConflict(): never {
    throw new RuleViolation('conflict', 'This is the organization’s only admin.');
  }

  @Post('rule/invalid')
  ruleInvalid(): never {
    throw new RuleViolation('invalid', 'must be an agent of this organization', 'assigneeId');
  }

  @Post('throttled')
  throttled(): never {
    throw new ProblemException(429, 'Too many attempts; try again later.', {
      headers: { 'Retry-After': '42' },
    });
  }

  @Post('conflict')
  conflict(): never {
    throw new ConflictException('Slug "acme" is taken');
  }

  @Post('forbidden')
  forbidden(): never {
    throw new ForbiddenException();
  }

  @Get('crash')
  crash(): never {
    throw new TypeError(
      "Cannot read properties of undefined (reading 'password_hash') at /srv/app/users.ts:42",
    );
  }

  @Get('unavailable')
  unavailable(): never {
    throw new ServiceUnavailableException('pg pool exhausted at 10.0.0.5:5432');
  }

  @Get('throws-string')
  throwsString(): never {
    throw 'a string, not an Error';
  }
}

@Module({ controllers: [CustomersController] })
class CustomersModule {}

describe('error answers', () => {
  let booted: BootedApp;
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    booted = await bootApp(CustomersModule);
    app = booted.app;
  });
  afterAll(() => app.close());

  function expectProblem(response: request.Response, status: number): void {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toMatchObject({
      type: 'about:blank',
      status,
      title: expect.any(String),
      detail: expect.any(String),
    });
  }

  it('says a domain rule violation in HTTP: conflict 409, invalid 400 naming the field', async () => {
    const conflict = await http().post('/api/v1/customers/rule/conflict');
    expectProblem(conflict, 409);
    expect(conflict.body.detail).toBe('This is the organization’s only admin.');
    const invalid = await http().post('/api/v1/customers/rule/invalid');
    expectProblem(invalid, 400);
    expect(invalid.body.errors).toEqual([
      { field: 'assigneeId', message: 'must be an agent of this organization' },
    ]);
  });

  it('sends the headers a problem carries, such as Retry-After on a 429', async () => {
    const response = await http().post('/api/v1/customers/throttled');

    expectProblem(response, 429);
    expect(response.headers['retry-after']).toBe('42');
  });

  describe('400 validation', () => {
    it('lists every invalid field by name', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .send({ name: '', tags: 'not-an-array' });

      expectProblem(response, 400);
      expect(response.body.title).toBe('Bad Request');
      expect(response.body.instance).toBe('/api/v1/customers');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'name', message: 'must be longer than or equal to 1 characters' },
          { field: 'tags', message: 'must be an array' },
        ]),
      );
    });

    it('reports a missing required field', async () => {
      const response = await http().post('/api/v1/customers').send({});

      expectProblem(response, 400);
      expect(response.body.errors).toEqual([
        { field: 'name', message: 'must be longer than or equal to 1 characters' },
      ]);
    });

    it('names the element of a primitive array: tags[1]', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .send({ name: 'Acme', tags: ['vip', 42, false] });

      expectProblem(response, 400);
      expect(response.body.errors).toEqual([
        { field: 'tags[1]', message: 'must be a string' },
        { field: 'tags[2]', message: 'must be a string' },
      ]);
    });

    it('names a nested object property: address.city', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .send({ name: 'Acme', address: { street: 'Main St 1', city: 12 } });

      expectProblem(response, 400);
      expect(response.body.errors).toEqual([
        { field: 'address.city', message: 'must be a string' },
      ]);
    });

    it('names a property of an array element: contacts[1].email', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .send({ name: 'Acme', contacts: [{ email: 'a@example.com' }, { email: null }] });

      expectProblem(response, 400);
      expect(response.body.errors).toEqual([
        { field: 'contacts[1].email', message: 'must be a string' },
      ]);
    });

    it('rejects unknown fields, at the top level and nested', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .send({
          name: 'Acme',
          isAdmin: true,
          address: { street: 'Main St 1', city: 'Oslo', zip: '0150' },
        });

      expectProblem(response, 400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'isAdmin', message: 'is not an allowed field' },
          { field: 'address.zip', message: 'is not an allowed field' },
        ]),
      );
      expect(response.body.errors).toHaveLength(2);
    });

    it('accepts a valid body', async () => {
      const customer = {
        name: 'Acme',
        tags: ['vip'],
        address: { street: 'Main St 1', city: 'Oslo' },
        contacts: [{ email: 'a@b.c' }],
      };

      const response = await http().post('/api/v1/customers').send(customer);

      expect(response.status).toBe(201);
      expect(response.body).toEqual(customer);
    });

    it('validates query strings the same way', async () => {
      const response = await http().get('/api/v1/customers/search?size=0&state=pending&debug=1');

      expectProblem(response, 400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'size', message: 'must not be less than 1' },
          {
            field: 'state',
            message: expect.stringContaining('must be one of the following values'),
          },
          { field: 'debug', message: 'is not an allowed field' },
        ]),
      );
    });

    it('converts valid query strings', async () => {
      const response = await http().get('/api/v1/customers/search?size=5&state=open');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ size: 5, state: 'open' });
    });

    it('refuses a JSON body that is not an object', async () => {
      for (const body of ['[{"name":"Acme"}]', '"Acme"', 'null']) {
        const response = await http().post('/api/v1/customers').type('json').send(body);

        expectProblem(response, 400);
        expect(response.body.detail).toBe('The request body must be a JSON object.');
      }
    });
  });

  describe('malformed requests', () => {
    it('answers malformed JSON with 400, not 500', async () => {
      const response = await http().post('/api/v1/customers').type('json').send('{"name": "Acme",');

      expectProblem(response, 400);
      expect(response.body.detail).toBe(
        "Body is not valid JSON but content-type is set to 'application/json'",
      );
    });

    it('refuses JSON that tries prototype poisoning', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .type('json')
        .send('{"name":"x","__proto__":{"isAdmin":true}}');

      expectProblem(response, 400);
    });

    it('answers a body that is not JSON with 415', async () => {
      for (const [type, body] of [
        ['text/plain', 'name=Acme'],
        ['application/x-www-form-urlencoded', 'name=Acme'],
        ['application/xml', '<name>Acme</name>'],
      ]) {
        const response = await http().post('/api/v1/customers').type(type).send(body);

        expectProblem(response, 415);
        expect(response.body).toMatchObject({
          title: 'Unsupported Media Type',
          detail: 'Send the request body as application/json.',
        });
      }
    });

    it('answers a body over 1 MiB with 413', async () => {
      const response = await http()
        .post('/api/v1/customers')
        .send({ name: 'Acme', tags: ['x'.repeat(1024 * 1024)] });

      expectProblem(response, 413);
      expect(response.body.title).toBe('Payload Too Large');
    });

    it('answers an unknown route with 404', async () => {
      const response = await http().get('/api/v1/nothing-here');

      expectProblem(response, 404);
      expect(response.body).toMatchObject({ title: 'Not Found', instance: '/api/v1/nothing-here' });
    });

    it('answers an unknown method on a known path with 404', async () => {
      const response = await http().delete('/api/v1/customers');

      expectProblem(response, 404);
    });

    it('answers a malformed URL with 400', async () => {
      const response = await http().get('/api/v1/customers/%E0%A4%A');

      expectProblem(response, 400);
    });
  });

  describe('errors thrown by handlers', () => {
    it('answers a ProblemException as written, with its extensions', async () => {
      const response = await http().post('/api/v1/customers/move');

      expectProblem(response, 409);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'A closed ticket cannot move to open.',
        instance: '/api/v1/customers/move',
        currentStatus: 'closed',
        allowedStatuses: [],
      });
    });

    it('answers a field error raised by domain code like a validation error', async () => {
      const response = await http().post('/api/v1/customers/assign');

      expectProblem(response, 400);
      expect(response.body.errors).toEqual([
        { field: 'assigneeId', message: 'must be an agent of this organization' },
      ]);
    });

    it("keeps an HttpException's status and message", async () => {
      const conflict = await http().post('/api/v1/customers/conflict');
      const forbidden = await http().post('/api/v1/customers/forbidden');

      expectProblem(conflict, 409);
      expect(conflict.body).toMatchObject({ title: 'Conflict', detail: 'Slug "acme" is taken' });
      expectProblem(forbidden, 403);
      expect(forbidden.body).toMatchObject({ title: 'Forbidden', detail: 'Forbidden' });
    });

    it('answers an unexpected error with a generic 500 that leaks nothing, and logs it', async () => {
      const response = await http().get('/api/v1/customers/crash').set('X-Request-ID', 'crash-1');

      expectProblem(response, 500);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: expect.stringContaining('could not complete the request'),
        instance: '/api/v1/customers/crash',
      });
      expect(response.text).not.toMatch(/password_hash|users\.ts|TypeError|at /);
      expect(booted.logs.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          requestId: 'crash-1',
          err: expect.objectContaining({ type: 'TypeError' }),
        }),
      );
    });

    it('hides the message of a 5xx HttpException too, keeping its status', async () => {
      const response = await http().get('/api/v1/customers/unavailable');

      expectProblem(response, 503);
      expect(response.body.title).toBe('Service Unavailable');
      expect(response.text).not.toContain('10.0.0.5');
    });

    it('answers a thrown non-Error with 500', async () => {
      const response = await http().get('/api/v1/customers/throws-string');

      expectProblem(response, 500);
      expect(response.text).not.toContain('a string, not an Error');
    });
  });
});
