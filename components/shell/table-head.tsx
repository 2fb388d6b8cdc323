// A table's header: one `<th scope="col">` per column, every cell in the table's own style (the last may differ,
// e.g. without the right padding that separates columns).

export function TableHead({
  columns,
  className,
  cellClassName,
  lastCellClassName = cellClassName,
}: {
  columns: string[];
  className: string;
  cellClassName: string;
  lastCellClassName?: string;
}) {
  return (
    <thead className={className}>
      <tr>
        {columns.map((column, index) => (
          <th key={column} scope="col" className={index === columns.length - 1 ? lastCellClassName : cellClassName}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
