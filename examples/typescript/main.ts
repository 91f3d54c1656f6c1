// main.ts
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'));
const results = await Promise.all([30, 31, 32].map((n) => pool.run('fib', n))); // in parallel
console.log(results.join(' ')); // 832040 1346269 2178309
await pool.close();
