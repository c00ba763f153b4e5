// The wizard's question about objects already in the source bucket, on @inquirer/testing's fake terminal.
import { describe, expect, it } from 'vitest';
import { askReplicateExisting } from '../src/wizard/go-ahead.js';
import { kit, press, waitFor } from './support/wizard.js';

describe('wizard: objects already in the source bucket', () => {
  it('asks whether to replicate them with Batch Replication, naming the count, the bucket and the cost; yes by default, No leaves them', async () => {
    const yes = askReplicateExisting(kit, 'rubes-s3-bucket', '12 objects');
    const shown = await waitFor('Replicate the 12 objects already in rubes-s3-bucket too? (Batch Replication, costs $0.25 a job');
    expect(shown).toContain('❯ Yes');
    press('enter');
    await expect(yes).resolves.toBe(true);

    const no = askReplicateExisting(kit, 'rubes-s3-bucket', 'at least 1,000 objects');
    await waitFor('Replicate the at least 1,000 objects already in rubes-s3-bucket too?');
    press('down', 'enter');
    await expect(no).resolves.toBe(false);
  });
});
