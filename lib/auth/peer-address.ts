// Who connected to the console. A Next route handler or proxy sees no socket, and Next only fills
// x-forwarded-for when the client did not send one, so every forwarded header is client-controlled. The
// console's one server entry (scripts/start.mjs, used by `npm start`, `npm run dev`, the demo and the container
// image) overwrites PEER_ADDRESS_HEADER with the socket's address on every request and says so by setting
// PEER_STAMPED_ENV in its own process. Any other way of serving (`next start`) has no peer address: the
// oauth2-proxy check and auth mode none then refuse, rather than believe a header a client could send.

export const PEER_ADDRESS_HEADER = 'x-console-peer-address';
export const PEER_STAMPED_ENV = 'WIC_PEER_ADDRESS_STAMPED';

/** For the console's Node server: call on every incoming request before handing it to Next. */
export function stampPeerAddress(headers: Record<string, string | string[] | undefined>, remoteAddress: string | undefined): void {
  if (remoteAddress) headers[PEER_ADDRESS_HEADER] = remoteAddress;
  else delete headers[PEER_ADDRESS_HEADER];
}

/** The socket's address as the server stamped it, or undefined when this process does not stamp it. */
export function peerAddressOf(headers: Headers, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (env[PEER_STAMPED_ENV] !== '1') return undefined;
  return headers.get(PEER_ADDRESS_HEADER) ?? undefined;
}
