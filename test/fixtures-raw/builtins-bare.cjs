// A bare Node process or worker thread: it reports the built-in modules Node itself has loaded, to the pool test that started it.
const loaded = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
const { parentPort } = require('node:worker_threads');
if (parentPort !== null) parentPort.postMessage(loaded);
else {
  process.send(loaded);
  process.disconnect();
}
