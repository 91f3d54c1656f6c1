// CommonJS: node examples/commonjs/main.cjs (Node >= 20.19, where require() loads ES modules)
// #region require
const { join } = require('node:path');
const { Pool } = require('spindle');

// An absolute path: a relative string would be resolved from process.cwd(), not from this file.
const pool = new Pool(join(__dirname, 'tasks.cjs'));
// #endregion

async function main() {
  const counts = await Promise.all(['one', 'two words', 'and three words'].map((text) => pool.run('countWords', text)));
  console.log(counts.join(' ')); // 1 2 3
  await pool.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
