import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PortalGenerations } from '../../src/domain/portal/portal-generations';

const TENANT = 'tnt_01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('portal generations', () => {
  it('admit tokens of the current generation or later, and only move forward', () => {
    const generations = new PortalGenerations();
    const changed: string[] = [];
    generations.onChange((id) => changed.push(id));
    assert.equal(generations.admits(TENANT, 0), false, 'an unknown tenant admits nothing');
    generations.apply({ id: TENANT, status: 'ACTIVE', portalGeneration: 2 });
    assert.deepEqual([generations.admits(TENANT, 1), generations.admits(TENANT, 2)], [false, true]);
    // News arriving late (an older generation) changes nothing and tells nobody.
    generations.apply({ id: TENANT, status: 'ACTIVE', portalGeneration: 1 });
    assert.equal(generations.admits(TENANT, 2), true);
    assert.deepEqual(changed, []);
    // A genuine token of a later generation proves the revocation: older ones stop.
    assert.equal(generations.admits(TENANT, 3), true);
    assert.equal(generations.admits(TENANT, 2), false);
    assert.deepEqual(changed, [TENANT]);
  });

  it('admit nothing of a tenant being deleted or gone, whatever comes after', () => {
    const generations = new PortalGenerations();
    generations.apply({ id: TENANT, status: 'DELETING', portalGeneration: 0 });
    assert.equal(generations.admits(TENANT, 0), false);
    generations.apply({ id: TENANT, status: 'ACTIVE', portalGeneration: 0 });
    assert.equal(generations.admits(TENANT, 0), false, 'a stale ACTIVE does not bring it back');
    const other = 'tnt_01ARZ3NDEKTSV4RRFFQ69G5FAW';
    generations.gone(other);
    assert.equal(generations.knows(other), true);
    assert.equal(generations.admits(other, 0), false);
  });
});
