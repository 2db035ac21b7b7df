import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import { bootApp } from '../../test-support/boot-app';
import { PageQuery } from './page-query';
import { Paginated, pageOffset, paginate } from './paginate';
import { SortParam, parseSort, sortValues } from './sort';

interface Item {
  name: string;
  rank: number;
}

/** 45 items: a-00 … a-44, ranked in reverse. */
const ITEMS: Item[] = Array.from({ length: 45 }, (_, index) => ({
  name: `a-${String(index).padStart(2, '0')}`,
  rank: 45 - index,
}));
const SORTABLE = ['name', 'rank'] as const;

class ListItemsQuery extends PageQuery {
  @SortParam(SORTABLE, 'name')
  sort?: string;

  @IsOptional()
  @IsString()
  q?: string;
}

@Controller('items')
class ItemsController {
  @Get()
  list(@Query() query: ListItemsQuery): Paginated<Item> {
    const order = parseSort(query.sort, SORTABLE, 'name');
    const sign = order.direction === 'ASC' ? 1 : -1;
    const sorted = [...ITEMS].sort((a, b) => (a[order.field] < b[order.field] ? -sign : sign));
    const offset = pageOffset(query);
    return paginate(sorted.slice(offset, offset + query.limit), sorted.length, query);
  }
}

@Module({ controllers: [ItemsController] })
class ItemsModule {}

describe('paginated lists', () => {
  let app: NestFastifyApplication;
  const list = (query = '') => request(app.getHttpServer()).get(`/api/v1/items${query}`);

  beforeAll(async () => {
    app = (await bootApp(ItemsModule)).app;
  });
  afterAll(() => app.close());

  it('answers the first 20 by default, with the pagination block', async () => {
    const response = await list();

    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(20);
    expect(response.body.data[0]).toEqual({ name: 'a-00', rank: 45 });
    expect(response.body.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 45,
      totalPages: 3,
      hasNext: true,
      hasPrev: false,
    });
  });

  it('answers the requested page', async () => {
    const response = await list('?page=3&limit=20');

    expect(response.body.data.map((item: Item) => item.name)).toEqual([
      'a-40',
      'a-41',
      'a-42',
      'a-43',
      'a-44',
    ]);
    expect(response.body.pagination).toEqual({
      page: 3,
      limit: 20,
      total: 45,
      totalPages: 3,
      hasNext: false,
      hasPrev: true,
    });
  });

  it('clamps a limit above 100 to 100 instead of refusing it', async () => {
    const response = await list('?limit=1000');

    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(45);
    expect(response.body.pagination).toMatchObject({ limit: 100, totalPages: 1, hasNext: false });
  });

  it('answers a page past the end with no items', async () => {
    const response = await list('?page=9');

    expect(response.body.data).toEqual([]);
    expect(response.body.pagination).toMatchObject({
      page: 9,
      total: 45,
      hasNext: false,
      hasPrev: true,
    });
  });

  it.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['page=', 'page'],
    ['page=two', 'page'],
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=10&limit=20', 'limit'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const response = await list(`?${query}`);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(new Set(fields)).toEqual(new Set([field]));
  });

  it('sorts by an allowed field, descending with a leading "-"', async () => {
    const ascending = await list('?sort=rank&limit=3');
    const descending = await list('?sort=-name&limit=3');

    expect(ascending.body.data.map((item: Item) => item.rank)).toEqual([1, 2, 3]);
    expect(descending.body.data.map((item: Item) => item.name)).toEqual(['a-44', 'a-43', 'a-42']);
  });

  it('refuses an unknown sort with a 400 naming sort and the allowed values', async () => {
    const response = await list('?sort=password');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'sort', message: 'must be one of name, -name, rank, -rank' },
    ]);
  });

  it('refuses an unknown query parameter', async () => {
    const response = await list('?pgae=2');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'pgae', message: 'is not an allowed field' }]);
  });
});

describe('paginate', () => {
  it('describes an empty result as zero pages', () => {
    expect(paginate([], 0, { page: 1, limit: 20 })).toEqual({
      data: [],
      pagination: { page: 1, limit: 20, total: 0, totalPages: 0, hasNext: false, hasPrev: false },
    });
  });

  it('counts a partial last page', () => {
    expect(paginate(['x'], 41, { page: 2, limit: 20 }).pagination).toEqual({
      page: 2,
      limit: 20,
      total: 41,
      totalPages: 3,
      hasNext: true,
      hasPrev: true,
    });
  });
});

describe('pageOffset', () => {
  it('skips the items of the earlier pages', () => {
    expect(pageOffset({ page: 1, limit: 20 })).toBe(0);
    expect(pageOffset({ page: 3, limit: 25 })).toBe(50);
  });
});

describe('parseSort', () => {
  it('reads field and direction, falling back when no sort was asked for', () => {
    expect(parseSort('-createdAt', ['createdAt', 'priority'], 'createdAt')).toEqual({
      field: 'createdAt',
      direction: 'DESC',
    });
    expect(parseSort('priority', ['createdAt', 'priority'], 'createdAt')).toEqual({
      field: 'priority',
      direction: 'ASC',
    });
    expect(parseSort(undefined, ['createdAt', 'priority'], '-createdAt')).toEqual({
      field: 'createdAt',
      direction: 'DESC',
    });
  });

  it('throws a 400 naming sort for anything else', () => {
    for (const value of ['title', '--createdAt', '', '-']) {
      expect(() => parseSort(value, ['createdAt'], 'createdAt')).toThrow(
        expect.objectContaining({
          errors: [{ field: 'sort', message: 'must be one of createdAt, -createdAt' }],
        }),
      );
    }
  });

  it('lists both directions of each field', () => {
    expect(sortValues(['createdAt', 'priority'])).toEqual([
      'createdAt',
      '-createdAt',
      'priority',
      '-priority',
    ]);
  });
});
