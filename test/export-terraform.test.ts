import { format } from '@cdktf/hcl-tools';
import { describe, expect, it } from 'vitest';
import { exportModel } from '../src/export/model.js';
import { terraformMainTf } from '../src/export/terraform.js';
import { planChanges } from '../src/kinds/planner.js';
import type { SetupInput } from '../src/input/types.js';
import type { PreparedSetup } from '../src/plan/prepared.js';
import { SEED_ACCOUNTS, seedInput } from './support/fixtures.js';
import { parseHcl, undoJsonencode } from './support/hcl.js';
import { freshLive } from './support/simulate.js';

const prepared = (input: SetupInput): PreparedSetup => {
  const live = freshLive(input, SEED_ACCOUNTS);
  return { input, accounts: SEED_ACCOUNTS, live, plan: planChanges(input, SEED_ACCOUNTS, live, { replicationEchoIsFaithful: true }) };
};

describe('terraform export (pure planner, nothing exists yet)', () => {
  it('seed', async () => {
    const tf = terraformMainTf(exportModel(prepared(seedInput())));
    console.log(tf);
    expect(await format(tf)).toBe(tf);
    const parsed = await parseHcl(tf);
    console.log(await undoJsonencode(parsed.resource.aws_s3_bucket_policy.source[0].policy));
  });
});
