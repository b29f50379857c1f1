// Entry point of the untrusted-workspace run (run-code-server.mjs --untrusted): the folder opens in
// Restricted Mode, with links out of the workspace planted by the runner (shared.mjs,
// plantUntrustedFixture). Reuses the normal suite's mocha setup, runner and helpers.
import '../suite/mocha-setup';
import './untrusted.test';

export { run } from '../suite/runner';
