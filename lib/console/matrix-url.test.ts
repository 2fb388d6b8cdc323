import { describe, expect, it } from 'vitest';
import { filterSearch, matrixApiSearch, viewParamsOf } from './matrix-url';
import { parseMatrixView, viewInputFrom } from './row-filters';

describe('the matrix view in the browser', () => {
  const url = new URLSearchParams('q=ledger&cluster=prod-use1&sort=-severity&page=3&pageSize=&utm=x&namespace=%20');

  it('reads the same view from the URL as the server does', () => {
    expect(viewParamsOf(url)).toEqual(viewInputFrom(url));
    expect(viewParamsOf(url)).toEqual({ q: 'ledger', cluster: 'prod-use1', sort: '-severity', page: '3' });
  });

  it('asks the API for one page of the view, with the page always named and defaults left out', () => {
    expect(matrixApiSearch(viewParamsOf(url))).toBe('cluster=prod-use1&q=ledger&page=3');
    expect(matrixApiSearch({ q: 'ledger' })).toBe('q=ledger&page=1');
    // The server's page number (it moves a page past the end back) wins over the URL's.
    expect(matrixApiSearch({ q: 'ledger', page: '9' }, 2)).toBe('q=ledger&page=2');
    expect(parseMatrixView(new URLSearchParams(matrixApiSearch(viewParamsOf(url)))).data).toMatchObject({ q: 'ledger', page: 3 });
  });

  it('keys the pickers on the filters alone: sorting or paging does not change their choices', () => {
    expect(filterSearch({ q: 'ledger', sort: 'name', page: '2', pageSize: '25' })).toBe('?q=ledger');
    expect(filterSearch({})).toBe('');
  });
});
