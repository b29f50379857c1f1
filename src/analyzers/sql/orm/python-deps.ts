/**
 * The Python ORM packages a workspace depends on, read from its manifests (requirements*.txt / .in,
 * pyproject.toml, setup.py, setup.cfg, Pipfile): only their extractors run. A package name counts when
 * it stands alone (`SQLAlchemy==2.0`, `"flask-sqlalchemy>=3"`, `sqlalchemy = "^2"`), not inside another
 * name (`sqlalchemy-utils`). Plain string scanning, bounded by the file's length.
 */
export const SQLALCHEMY_PACKAGES = ['sqlalchemy', 'flask-sqlalchemy', 'flask_sqlalchemy'] as const;

const MAX_MANIFEST = 1024 * 1024;

/** A Python manifest that names dependencies. */
export function isPythonManifest(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/(?:^|\/)(?:node_modules|site-packages|\.venv|venv)\//.test(path)) return false;
  if (base === 'pyproject.toml' || base === 'setup.py' || base === 'setup.cfg' || base === 'pipfile') return true;
  return base.startsWith('requirements') && (base.endsWith('.txt') || base.endsWith('.in'));
}

const NAME_CHAR = /[\w.-]/;

/** The Python ORM packages (lower-case) a manifest names. */
export function pythonOrmPackagesOf(text: string): string[] {
  const lower = text.length > MAX_MANIFEST ? text.slice(0, MAX_MANIFEST).toLowerCase() : text.toLowerCase();
  const found: string[] = [];
  for (const name of SQLALCHEMY_PACKAGES) {
    for (let at = lower.indexOf(name); at >= 0; at = lower.indexOf(name, at + 1)) {
      const before = lower[at - 1] ?? '';
      const after = lower[at + name.length] ?? '';
      if (NAME_CHAR.test(before) || (after !== '' && NAME_CHAR.test(after))) continue;
      found.push(name);
      break;
    }
  }
  return found;
}
