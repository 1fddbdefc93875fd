export interface Page<T> {
  items: T[];
  /** Value for the `Link` header, absent when everything fits on one page. */
  link?: string;
}

/** Slices a list the way GitHub's REST pagination does (`per_page` ≤ 100, `page` from 1). */
export function paginate<T>(requestUrl: URL, items: T[], query: { per_page?: unknown; page?: unknown }): Page<T> {
  const perPage = Math.min(Math.max(Number(query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.page ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (last === 1) return { items: slice };
  const pageUrl = (n: number) => {
    const url = new URL(requestUrl.href);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
  links.push(`<${pageUrl(last)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
  return { items: slice, link: links.join(", ") };
}
