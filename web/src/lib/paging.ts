/** How many pages a paged answer of the API (`total` items, `pageSize` a page) has; at least one. */
export const pageCount = (result: { total: number; pageSize: number }): number => Math.max(1, Math.ceil(result.total / result.pageSize));
