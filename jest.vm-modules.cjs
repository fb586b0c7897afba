// Preloaded into every jest process next to --experimental-vm-modules (see the packages' `test` scripts).
// Jest needs that flag so PGlite's internal dynamic import() works inside jest's module sandbox, and Node prints
// "VM Modules is an experimental feature" once per worker for it. This hides exactly that one notice, which we
// opted into knowingly; every other warning (deprecations, other experimental features) still prints.
const emitWarning = process.emitWarning;
process.emitWarning = function emitWarningExceptVmModulesNotice(warning, ...rest) {
  const message = typeof warning === 'string' ? warning : warning && warning.message;
  if (typeof message === 'string' && message.startsWith('VM Modules is an experimental feature')) return;
  return emitWarning.call(process, warning, ...rest);
};
