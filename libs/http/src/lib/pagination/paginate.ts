export interface PageRequest {
  page: number;
  limit: number;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  hasNext: boolean;
  hasPrev: boolean;
}

/** The shape of every list answer. */
export interface Paginated<T> {
  data: T[];
  pagination: Pagination;
}

/** How many items the requested page skips. */
export function pageOffset(query: PageRequest): number {
  return (query.page - 1) * query.limit;
}

/** Wraps one page of `items` (out of `total` matching) in the list answer. */
export function paginate<T>(items: T[], total: number, query: PageRequest): Paginated<T> {
  const totalPages = Math.ceil(total / query.limit);
  return {
    data: items,
    pagination: {
      page: query.page,
      limit: query.limit,
      total,
      totalPages,
      hasNext: query.page < totalPages,
      hasPrev: query.page > 1,
    },
  };
}
