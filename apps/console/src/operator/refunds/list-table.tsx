import type { ReactNode } from 'react';
import { TableScroll } from '../../components/table-scroll.js';
import { useLanguage } from '../../i18n/index.js';

export interface Column {
  label: string;
  number?: boolean;
}

/**
 * One page-by-page list of the room: nothing until it is read, a line when
 * it is empty, else its table in a region that scrolls sideways on a phone;
 * "Show more" while there is more. `action` names the column of row buttons.
 */
export function ListTable({
  labelledBy,
  testId,
  list,
  none,
  columns,
  action,
  onMore,
  children,
}: {
  labelledBy: string;
  testId: string;
  list: { data: unknown[]; more: boolean } | null;
  none: string;
  columns: Column[];
  action?: string;
  onMore: () => void;
  children: ReactNode;
}) {
  const { t } = useLanguage();
  if (!list) return null;
  return (
    <>
      {list.data.length === 0 ? (
        <p role="status">{none}</p>
      ) : (
        <TableScroll labelledBy={labelledBy}>
          <table className={`fraud-table${action ? '' : ' narrow-table'}`} data-testid={testId}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.label} scope="col" className={column.number ? 'number' : undefined}>
                    {column.label}
                  </th>
                ))}
                {action && (
                  <th scope="col">
                    <span className="visually-hidden">{action}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </TableScroll>
      )}
      {list.more && (
        <button type="button" className="secondary" onClick={onMore}>
          {t('refunds.more')}
        </button>
      )}
    </>
  );
}

/** A row's button: short on screen, naming its row to a screen reader. */
export function RowButton({ label, name, onClick }: { label: string; name: string; onClick: () => void }) {
  return (
    <button type="button" className="secondary" onClick={onClick} aria-label={name}>
      {label}
    </button>
  );
}
