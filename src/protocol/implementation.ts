import { packageVersion } from '../package/root.ts';

/** What `hello` reports for the reference: "relspec <package version>". */
export const IMPLEMENTATION = `relspec ${packageVersion()}`;
