// A --require preload that registers an ES-module customization hook (module.register): answer-hook.mjs
// rewrites what load-probe-tasks' hookedBy() returns, so a task tells whether the hook ran on its module.
const { register } = require('node:module');
const { pathToFileURL } = require('node:url');

register(pathToFileURL(require.resolve('./answer-hook.mjs')));
