// Preloaded with `node --require` by tests: makes `require('koffi')` fail as it does where koffi
// is not installed or has no binary for the platform, so the default provider must fall back.
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutKoffi(request, ...rest) {
  if (request === 'koffi') {
    const error = new Error("Cannot find module 'koffi' (blocked by test-support/block-koffi.cjs)");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
