import { version } from '../../../package.json';

/** `User-Agent` of every outbound request (SPEC §4). */
export const USER_AGENT = `hookgraph/${version}`;
