import pkg from '../../package.json' with { type: 'json' };

/** What `hello` reports for the reference: "relspec <package version>". */
export const IMPLEMENTATION = `relspec ${pkg.version}`;
