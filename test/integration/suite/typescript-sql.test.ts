import * as assert from 'assert';
import { activateExtension, openDocument, rangeOf, SOURCE, waitForDiagnostic } from './helpers';

describe('SQL embedded in src/orders-repository.ts', () => {
  before(async () => {
    await activateExtension();
  });

  it('reports missing-index on actor_id in WHERE actor_id = $1', async () => {
    const doc = await openDocument('src/orders-repository.ts');
    const range = rangeOf(doc, 'WHERE actor_id = $1', 'actor_id');
    const d = await waitForDiagnostic(doc.uri, 'missing-index', range);
    assert.strictEqual(d.source, SOURCE);
  });

  it('reports select-star on the * of SELECT * FROM products', async () => {
    const doc = await openDocument('src/orders-repository.ts');
    const range = rangeOf(doc, 'SELECT * FROM products', '*');
    const d = await waitForDiagnostic(doc.uri, 'select-star', range);
    assert.strictEqual(d.source, SOURCE);
  });
});
