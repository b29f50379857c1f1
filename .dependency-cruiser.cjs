/**
 * The layering that `npm test` enforces (npm run check:deps): adapters (extension, cli) → analyzer
 * registry → analyzers/<domain> → lang → kernel. See docs/architecture.md.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere in src, type-only imports included.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'kernel-imports-no-analyzer',
      severity: 'error',
      comment: 'The kernel is the bottom layer: it imports no analyzer, no shared language helper and no adapter.',
      from: { path: '^src/kernel/' },
      to: { path: '^src/(analyzers|lang|extension|cli)/' },
    },
    {
      name: 'lang-imports-no-analyzer',
      severity: 'error',
      comment: 'src/lang holds language helpers shared by analyzers; it depends on the kernel only.',
      from: { path: '^src/lang/' },
      to: { path: '^src/(analyzers|extension|cli)/' },
    },
    {
      name: 'no-analyzer-internals-of-another',
      severity: 'error',
      comment: 'An analyzer reads another domain only through the kernel (artifacts), never its files.',
      from: { path: '^src/analyzers/([^/]+)/' },
      to: { path: '^src/analyzers/([^/]+)/', pathNot: '^src/analyzers/$1/' },
    },
    {
      name: 'analyzers-import-no-adapter',
      severity: 'error',
      comment: 'Analyzers and the registry know nothing of the VS Code extension or the CLI.',
      from: { path: '^src/analyzers/' },
      to: { path: '^src/(extension|cli)/' },
    },
    {
      name: 'only-the-extension-imports-vscode',
      severity: 'error',
      comment: 'The kernel, the analyzers and the CLI run without VS Code.',
      from: { path: '^src/', pathNot: '^src/extension/' },
      to: { path: '^vscode$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
