import { isIP } from 'node:net';

// IpAddress / NotIpAddress (IAM condition operators reference, "IP address condition operators"): the value
// is an IPv4 or IPv6 address or CIDR range (RFC 4632); a bare address is a /32 (/128).

function toBits(address: string): { bits: bigint; width: number } | null {
  const family = isIP(address);
  if (family === 4) {
    const bits = address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
    return { bits, width: 32 };
  }
  if (family === 6) {
    let text = address;
    // An IPv4 tail (::ffff:10.0.0.1) becomes two hextets.
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const n = toBits(v4[1])!.bits;
      text = text.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const headParts = head ? head.split(':') : [];
    const tailParts = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const missing = 8 - headParts.length - tailParts.length;
    const hextets = [...headParts, ...Array(tail !== undefined ? missing : 0).fill('0'), ...tailParts];
    if (hextets.length !== 8) return null;
    const bits = hextets.reduce((acc, h) => (acc << 16n) | BigInt(parseInt(h || '0', 16)), 0n);
    return { bits, width: 128 };
  }
  return null;
}

/** Does `address` fall in `range` (an address or CIDR)? null when either is not an IP address. */
export function ipInRange(range: string, address: string): boolean | null {
  const [base, prefixText] = range.trim().split('/');
  const r = toBits(base);
  const a = toBits(address.trim());
  if (!r || !a) return null;
  if (r.width !== a.width) return false;
  const prefix = prefixText === undefined ? r.width : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > r.width) return null;
  const shift = BigInt(r.width - prefix);
  return r.bits >> shift === a.bits >> shift;
}
