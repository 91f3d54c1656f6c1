/** Builds, once per test run, a tiny Node-API addon whose `crash()` segfaults and whose `abort()` calls C's abort(): real native crashes to isolate. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SOURCE = `#include <node_api.h>
#include <stdlib.h>
static napi_value Crash(napi_env env, napi_callback_info info) {
  volatile int *nowhere = 0;
  *nowhere = 42;
  return NULL;
}
static napi_value Abort(napi_env env, napi_callback_info info) {
  abort();
  return NULL;
}
NAPI_MODULE_INIT() {
  napi_value crash, fail;
  napi_create_function(env, "crash", NAPI_AUTO_LENGTH, Crash, NULL, &crash);
  napi_set_named_property(env, exports, "crash", crash);
  napi_create_function(env, "abort", NAPI_AUTO_LENGTH, Abort, NULL, &fail);
  napi_set_named_property(env, exports, "abort", fail);
  return exports;
}
`;

/** Where Node's headers are: beside this Node, or Debian's /usr/include/node. */
function nodeHeaders(): string | undefined {
  const candidates = [join(dirname(dirname(process.execPath)), 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
  return candidates.find((directory) => existsSync(join(directory, 'node_api.h')));
}

/** The path of the built addon; throws, saying what to install, when it cannot be built. */
export function buildCrashingAddon(): string {
  const headers = nodeHeaders();
  if (headers === undefined) throw new Error("Node's headers (node_api.h) were not found: install them (Debian: apt-get install libnode-dev, or Node's own include/ folder) to run the native crash test");
  const directory = mkdtempSync(join(tmpdir(), 'spindle-addon-'));
  const source = join(directory, 'crash.c');
  const addon = join(directory, 'crash.node');
  writeFileSync(source, SOURCE);
  const compiled = spawnSync('cc', ['-shared', '-fPIC', `-I${headers}`, '-o', addon, source], { encoding: 'utf8' });
  if (compiled.error !== undefined || compiled.status !== 0) {
    throw new Error(`Could not build the crashing addon with cc (install a C compiler, Debian: apt-get install gcc): ${compiled.error?.message ?? compiled.stderr}`);
  }
  return addon;
}
