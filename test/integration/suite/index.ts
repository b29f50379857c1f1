// Entry point loaded by the VS Code extension host (extensionTestsPath).
// The test modules are bundled into this file; their order is the run order.
import './mocha-setup';
import './activation.test';
import './commands.test';
import './typescript-sql.test';
import './audit-api.test'; // read-only: must run before sql-file.test changes the workspace
import './cli-parity.test'; // read-only: the editor's diagnostics equal perf-audit's JSON for the untouched demo
import './tree.test'; // read-only: the checklist view of the untouched demo
import './orm-hover.test'; // read-only: a knex call's diagnostic and hover
import './sql-file.test'; // applies a quick fix that changes the workspace (writes a 003 migration)
import './editing.test'; // after it: edits orders.sql and adds a file, restoring both itself
import './checklist-marks.test'; // creates .perfauditrc.json, deletes it at the end
import './memory.test'; // creates .superagent/memory, deletes it at the end
import './baseline.test'; // writes .perfaudit-baseline.json, edits orders.sql; restores both
import '../../evidence/lighthouse/vscode.suite'; // real Lighthouse from the extension (~25 s)
import './bundle.test'; // writes a small dist/, .perfauditrc.json, node_modules and a TS file; deletes them and re-analyses
import './sidebar.test'; // last: the runner screenshots the side bar (sidebar.png)

export { run, type SuiteResults } from './runner';
