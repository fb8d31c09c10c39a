import { useCallback, useState } from 'react';
import { usePolled } from '../fraud/shared.js';
import type { Page } from './types.js';

/**
 * A list read page by page, every page shown so far read again on each
 * poll, so a change made elsewhere shows in place.
 */
export function usePaged<T extends object>(
  readPage: (startingAfter: string | undefined) => Promise<Page<T>>,
  cursor: (item: T) => string,
  everyMs: number,
) {
  const [pages, setPages] = useState(1);
  const fetchAll = useCallback(async () => {
    const data: T[] = [];
    let after: string | undefined;
    let more = false;
    for (let page = 0; page < pages; page++) {
      const answer = await readPage(after);
      data.push(...answer.data);
      more = answer.has_more;
      after = answer.data.length ? cursor(answer.data[answer.data.length - 1]) : undefined;
      if (!more) break;
    }
    return { data, more };
  }, [readPage, cursor, pages]);
  const polled = usePolled(fetchAll, everyMs);
  return { ...polled, more: () => setPages((n) => n + 1), reset: () => setPages(1) };
}
