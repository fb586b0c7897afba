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

// The test scripts name this file relative to the package (`--require ../../jest.vm-modules.cjs`), and child
// processes a test starts (a service's dist/main.js, in whatever cwd) inherit NODE_OPTIONS: with the relative path
// they would exit at once with "Cannot find module". Make it absolute for them.
if (process.env.NODE_OPTIONS) {
  process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.replace(
    /--require[= ](\S*jest\.vm-modules\.cjs)/,
    () => `--require ${JSON.stringify(__filename)}`,
  );
}
