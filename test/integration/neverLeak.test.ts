// The never-leak rule in the trusted single-folder workspace, after the other suites (and this
// one) exercised every feature: see support/neverLeak.ts.
import { assertNothingLeaked, exerciseEveryFeature } from './support/neverLeak';
import { rekeyApi } from './support/rekey';

describe('never leak (trusted)', function () {
  this.timeout(120_000);

  it('shows, logs and returns no secret value after every feature ran', async () => {
    const api = await rekeyApi();
    const observed = await exerciseEveryFeature(api);
    await assertNothingLeaked(api, observed);
  });
});
