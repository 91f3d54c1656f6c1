import assert from 'node:assert/strict';
// #region shown
import Piscina from 'spindle/piscina'; // was: import Piscina from 'piscina';

const pool = new Piscina({ filename: import.meta.resolve('./worker.js'), maxThreads: 2 });
const squared = await pool.run({ n: 7 }); // the default export
const cubed = await pool.run({ n: 3 }, { name: 'cube' }); // a named export
// #endregion
assert.equal(squared, 49);
assert.equal(cubed, 27);
await pool.close();
