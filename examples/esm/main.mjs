// ES modules in plain JavaScript: node examples/esm/main.mjs
import { Pool } from 'spindle';

// A URL built from import.meta.url is resolved from this file, wherever the process started.
const pool = new Pool(new URL('./tasks.mjs', import.meta.url));
const results = await Promise.all([25, 26, 27].map((n) => pool.run('fib', n))); // in parallel
console.log(results.join(' ')); // 75025 121393 196418
await pool.close();
