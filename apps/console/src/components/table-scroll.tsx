import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a narrow screen. A region that
 * scrolls must be reachable from the keyboard and named, or a keyboard user
 * cannot read its hidden columns.
 */
export function TableScroll({ label, labelledBy, children }: { label?: string; labelledBy?: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label} aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}
