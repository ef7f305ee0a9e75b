/**
 * @module web/components/TableHead
 * A plain table header row: one column heading each, numeric columns right-aligned.
 */

export type Column = string | { label: string; num: true };

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          typeof c === 'string' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: headings are static and may repeat.
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: headings are static and may repeat.
            <th key={i} scope="col" className="num">
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
