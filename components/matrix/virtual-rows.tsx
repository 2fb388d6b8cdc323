'use client';

import { measureElement, useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState } from 'react';
import type { ServiceAccountRow } from '@/lib/model/identity-row';
import { ServiceAccountRowView, TBODY_CLASS } from './service-account-row';

/** A row's height before any is measured: one line of a desktop row; a phone's cards are measured as they render. */
const ESTIMATED_ROW_PX = 58;
/**
 * Rows rendered past each edge of the screen, so scrolling and Tab reach rows before they are needed. Each row
 * rendered is laid out with the whole table after every search keystroke: 12 cost ~10 ms of the keystroke in the
 * fleet bench.
 */
const OVERSCAN = 4;

/**
 * The matrix's rows for a long page (a pageSize of hundreds): only the rows near the screen are in the DOM, between
 * two spacer rows that keep the page as tall as all of them; the window scrolls, as for a short page, so the sticky
 * header, the pager and the phone's cards work alike. aria-rowindex tells assistive tech where each row sits.
 * The server renders the first screenful.
 */
export function VirtualRows({ rows, showSnapshots, columns }: { rows: ServiceAccountRow[]; showSnapshots: boolean; columns: number }) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const update = () => setScrollMargin(body.getBoundingClientRect().top + window.scrollY);
    update();
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);
  // Most rows are as tall as each other, so a new row is estimated at the height rows have most often measured:
  // one that measures so needs no second layout and render (a search's new rows cost two in the fleet bench).
  const heights = useRef(new Map<number, number>());
  const typicalHeight = useRef(ESTIMATED_ROW_PX);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => typicalHeight.current,
    measureElement: (element, entry, instance) => {
      const height = measureElement(element, entry, instance);
      const seen = (heights.current.get(height) ?? 0) + 1;
      heights.current.set(height, seen);
      if (seen > (heights.current.get(typicalHeight.current) ?? 0)) typicalHeight.current = height;
      return height;
    },
    overscan: OVERSCAN,
    scrollMargin,
    // Rows are keyed by their place, not their service account: a search's new rows then update the <tr>s already
    // on screen (their text, mostly) rather than replacing every one, which with the layout it forced was most of
    // a keystroke's time in the page (fleet bench). Heights are remembered by place too; a row that changes height
    // is measured again by its ResizeObserver.
    // What the server and the first client render assume: a laptop's window at the top of the page.
    initialRect: { width: 1280, height: 900 },
  });
  const items = virtualizer.getVirtualItems();
  const before = items.length ? items[0].start - scrollMargin : 0;
  const after = items.length ? virtualizer.getTotalSize() - (items[items.length - 1].end - scrollMargin) : 0;
  const spacer = (height: number, position: string) =>
    height > 0 ? (
      <tr aria-hidden="true" data-spacer={position} className="max-md:block" style={{ height }}>
        <td colSpan={columns} className="p-0" />
      </tr>
    ) : null;
  return (
    <tbody ref={bodyRef} className={TBODY_CLASS}>
      {spacer(before, 'before')}
      {items.map((item) => (
        <ServiceAccountRowView
          key={item.key}
          row={rows[item.index]}
          showSnapshots={showSnapshots}
          data-index={item.index}
          aria-rowindex={item.index + 2}
          ref={virtualizer.measureElement}
        />
      ))}
      {spacer(after, 'after')}
    </tbody>
  );
}
