import { version } from '../../../package.json';

/** `User-Agent` of every outbound request: receivers tell hookgraph's requests, and its version, apart. */
export const USER_AGENT = `hookgraph/${version}`;
