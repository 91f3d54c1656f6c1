// The piscina tests spindle/piscina does not pass, each with its reason.
// docs/migrating-from-piscina.md lists the same; test/piscina/exclusions.test.ts keeps them in sync.
export const EXCLUDED = [];
