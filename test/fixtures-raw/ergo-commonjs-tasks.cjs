// A CommonJS task module: `module.exports = { ... }`.
'use strict';

function triple(value) {
  return value * 3;
}

async function tripleLater(value) {
  await new Promise((resolve) => setImmediate(resolve));
  return value * 3;
}

function moduleKind() {
  return typeof require === 'function' && typeof module === 'object' ? 'commonjs' : 'unknown';
}

module.exports = { triple, tripleLater, moduleKind };
