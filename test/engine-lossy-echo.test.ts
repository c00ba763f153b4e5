// moto's GetBucketReplication is lossy: every rule comes back with an empty Filter and delete markers Disabled. A
// re-run must never rewrite the user's own rules from that echo: what was SENT (the recorder) is the truth here.
import { GetBucketReplicationCommand, PutBucketReplicationCommand, type ReplicationRule } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sentReplication, useEngineEmulator } from './support/engine.js';
import { SEED_RAW } from './support/fixtures.js';
import { isWrite } from './support/record.js';

const { emu, run } = useEngineEmulator();

/** The user's own rule, written next to the tool's with the SDK: only reports/, delete markers replicated. */
const reportsRule: ReplicationRule = {
  ID: 'their-reports',
  Priority: 50,
  Status: 'Enabled',
  Filter: { Prefix: 'reports/' },
  DeleteMarkerReplication: { Status: 'Enabled' },
  Destination: { Bucket: 'arn:aws:s3:::their-reports-copy' },
};

async function addTheirRule(): Promise<ReplicationRule[]> {
  const first = await run();
  const [ours] = sentReplication(first.calls);
  const rules = [...((ours!.Rules as ReplicationRule[]) ?? []), reportsRule];
  await emu
    .clients('source')
    .s3.send(new PutBucketReplicationCommand({ Bucket: 'rubes-s3-bucket', ReplicationConfiguration: { Role: ours!.Role as string, Rules: rules } }));
  // The echo is indeed lossy: the user's prefix is gone from what moto hands back.
  const echo = await emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: 'rubes-s3-bucket' }));
  expect(echo.ReplicationConfiguration?.Rules?.find((r) => r.ID === 'their-reports')?.Filter).not.toEqual({ Prefix: 'reports/' });
  return rules;
}

describe('a lossy GetBucketReplication (moto) and the user’s own rules', () => {
  it('writes nothing to the replication configuration when our rule is unchanged', async () => {
    await addTheirRule();

    const again = await run();

    expect(again.steps.find((s) => s.id === 'replication-configuration')?.action).toBe('no-op');
    expect(sentReplication(again.calls)).toEqual([]);
    expect(again.calls.filter(isWrite).map((c) => c.command)).toEqual([]);
  });

  it('says which rules it re-sends as the endpoint reports them when our rule must change (the whole configuration is one write)', async () => {
    await addTheirRule();

    const changed = await run({ ...SEED_RAW, prefix: 'incidents/' });

    const note = changed.prepared.plan.notes.find((n) => n.includes('does not return replication rules as they were written'));
    expect(note).toContain('their-reports');
    const [sent] = sentReplication(changed.calls);
    expect((sent!.Rules as ReplicationRule[]).map((rule) => rule.ID)).toContain('their-reports');
  });
});
