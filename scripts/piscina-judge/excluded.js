// The piscina tests spindle/piscina does not pass, each with its reason: none today.
// docs/migrating-from-piscina.md lists the same; test/piscina/docs-sync.test.ts keeps the two in sync.
/** @type {readonly { file: string, name: string, reason: string }[]} */
export const EXCLUDED = [];
