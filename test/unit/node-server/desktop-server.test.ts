// A loopback-only server of an Electron app serves the app's own window: server rules at info.
import { ruleTests } from '../../helpers/rule-tester.js';

const server = (host: string): string => `const express = require('express');\nconst path = require('path');\nconst app = express();\napp.use(express.static(path.join(__dirname, 'dist')));\napp.listen(45735, ${host});\n`;
const electron = JSON.stringify({ name: 'desktop', main: 'main.js', devDependencies: { electron: '30.0.0' }, dependencies: { express: '4.19.2' } });
const web = JSON.stringify({ name: 'web', dependencies: { express: '4.19.2' } });

ruleTests('server-static-cache-missing', {
  valid: [],
  invalid: [
    {
      name: "an Electron app's loopback server: info, with the reason",
      files: { 'desktop/package.json': electron, 'desktop/main.js': server("'127.0.0.1'") },
      errors: [{ file: 'desktop/main.js', line: 4, column: 9, severity: 'info', message: /belongs to an Electron app and listens on the loopback interface only/ }],
    },
    {
      name: 'an Electron app whose server listens on every interface: still a warning',
      files: { 'desktop/package.json': electron, 'desktop/main.js': server("'0.0.0.0'") },
      errors: [{ file: 'desktop/main.js', line: 4, column: 9, severity: 'warning' }],
    },
    {
      name: 'a web backend bound to 127.0.0.1 behind a proxy: still a warning',
      files: { 'package.json': web, 'server.js': server("'127.0.0.1'") },
      errors: [{ file: 'server.js', line: 4, column: 9, severity: 'warning' }],
    },
  ],
});
