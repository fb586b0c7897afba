// kubernetes-models is published as ES modules only (its exports have no `require` condition), so the schema test
// loads it with import(): SWC must leave import() alone, and jest needs --experimental-vm-modules (the test script).
const preset = require('../../jest.preset.js');
const [pattern, [swc, options]] = Object.entries(preset.transform)[0];

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  transform: { [pattern]: [swc, { ...options, module: { ...options.module, ignoreDynamic: true } }] },
};
