import * as assert from 'node:assert/strict';
import { countConsumers } from '../../../../src/core/rotation/consumerCount';

describe('countConsumers', () => {
  const at = (key: string, via: 'dockerfile' | 'code') => ({ key, via });

  it('counts the places that read the key itself and sets the linked entries apart', () => {
    const c = countConsumers([at('DB_PASSWORD', 'dockerfile'), at('DATABASE_URL', 'code'), at('DB_PASSWORD', 'code'), at('DB_PASSWORD', 'dockerfile')], 'DB_PASSWORD');
    assert.equal(c.count, 3);
    assert.equal(c.linked, 1);
    assert.equal(c.summary, '2 dockerfile, 1 code');
    assert.deepEqual(c.places.map((p) => p.key), ['DB_PASSWORD', 'DB_PASSWORD', 'DB_PASSWORD']);
  });

  it('is zero with an empty summary when nothing reads the key', () => {
    const c = countConsumers([at('OTHER', 'code')], 'DB_PASSWORD');
    assert.equal(c.count, 0);
    assert.equal(c.summary, '');
    assert.equal(c.linked, 1);
  });
});
