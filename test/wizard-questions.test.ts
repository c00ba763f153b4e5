// The wizard's questions, driven keystroke by keystroke on @inquirer/testing's fake terminal (helpers in
// test/support/wizard.ts, which loads the fake terminal before the prompts).

import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it } from 'vitest';
import { askToApply } from '../src/wizard/go-ahead.js';
import { isPromptExit } from '../src/wizard/prompt-kit.js';
import { erase, fakeLookups, kit, press, refusedThenFixed, SEED, start, type, waitFor } from './support/wizard.js';

describe('wizard questions', () => {
  it('asks everything in order, checks each answer, and returns plain options', async () => {
    const { answers, said, asked } = start({});

    let shown = await waitFor('Source AWS profile (the account whose bucket is copied from)');
    expect(shown).toMatch(/❯ abcd/);
    expect(shown).toContain('region ap-southeast-2');
    press('down', 'enter');

    // Regions: the profile's is preselected; typing narrows the list by code or name.
    shown = await waitFor(/❯ ap-southeast-1 +Asia Pacific \(Singapore\) +\(profile xyz's region\)/);
    expect(shown).toContain('Source region (type to search)');
    expect(said).toContain('  ✓ profile xyz is account 111111111111');
    screen.type('sydney');
    shown = await waitFor(/❯ ap-southeast-2 +Asia Pacific \(Sydney\)\n/);
    expect(shown).not.toContain('Singapore');
    // Cleared again, the profile's region is back on top, under the cursor.
    erase('sydney'.length);
    await waitFor(/^\? Source region \(type to search\):\n❯ ap-southeast-1 .*Singapore/);
    press('enter');

    await waitFor('Source bucket name (created if missing)');
    type('Rubes_S3_Bucket');
    await waitFor('A bucket name may contain only lowercase letters, digits, dots (.) and hyphens (-).');
    erase('Rubes_S3_Bucket'.length);
    await refusedThenFixed('ab', 'A bucket name must be 3 to 63 characters long (got 2).', 'rubes-s3-bucket');

    // The source took xyz, so the list starts on the other profile.
    shown = await waitFor('Destination AWS profile (the account that receives the copies)');
    expect(shown).toMatch(/❯ abcd/);
    press('enter');
    await waitFor(/❯ ap-southeast-2 +Asia Pacific \(Sydney\) +\(profile abcd's region\)/);
    expect(said).toContain('  ✓ profile abcd is account 222222222222');
    press('enter');

    await waitFor('Destination bucket name (created if missing)');
    await refusedThenFixed('rubes-s3-bucket', 'The destination bucket must differ from the source bucket', 'clint-s3-bucket');

    await waitFor('Replication role to create in the source account: (s3-replication-role)');
    await refusedThenFixed('s3 replication role', 'A role name may contain only letters, digits and + = , . @ _ -.', 's3_replication_role');

    shown = await waitFor('Who in account 222222222222 may read the source bucket?');
    expect(shown).toContain('someone else: type user names or ARNs');
    press('down', 'space');
    await waitFor(/◉ tom-cruise/);
    press('enter');

    await waitFor('Replicate only keys under this prefix (empty: the whole bucket)');
    await refusedThenFixed('/logs', 'The prefix must not start with "/" (S3 keys have no leading slash).', '');

    shown = await waitFor('Replication Time Control (RTC)?');
    expect(shown).toContain('copied within 15 minutes');
    expect(shown).toContain('US$0.015 per GB');
    press('enter');
    shown = await waitFor('Replicate delete markers?');
    expect(shown).toContain('hides its copy in the destination');
    press('down');
    await waitFor('a backup that survives mistakes');
    press('enter');
    shown = await waitFor('More options (SSE-KMS encryption, certain uploaders only, log backup, storage class, failure alerts)?');
    expect(shown).toMatch(/❯ No/);
    press('enter');

    await expect(answers).resolves.toEqual({ ...SEED, deleteMarkerReplication: false });
    expect(asked).toEqual([
      'Source AWS profile (the account whose bucket is copied from):',
      'Source region (type to search):',
      'Source bucket name (created if missing):',
      'Destination AWS profile (the account that receives the copies):',
      'Destination region (type to search):',
      'Destination bucket name (created if missing):',
      'Replication role to create in the source account:',
      'Who in account 222222222222 may read the source bucket? (none is fine)',
      'Replicate only keys under this prefix (empty: the whole bucket):',
      'Replication Time Control (RTC)?',
      'Replicate delete markers?',
      'More options (SSE-KMS encryption, certain uploaders only, log backup, storage class, failure alerts)?',
    ]);
  });

  it('asks the scenario questions only when more options are wanted, and checks the uploaders', async () => {
    const { answers, asked } = start({ ...SEED });
    await waitFor('More options');
    press('down', 'enter');
    await waitFor('What does the source bucket hold?');
    press('enter');
    await waitFor('Encryption at rest?');
    press('down', 'enter');
    await waitFor('Replicate only what these source-account users upload');
    await refusedThenFixed('arn:aws:iam::1:user/x', 'is not an IAM user or role ARN', 'alice, arn:aws:iam::111111111111:role/l2-support');
    // REDUCED_REDUNDANCY (deprecated) is not offered: STANDARD_IA is second.
    await waitFor('Storage class of the replicas?');
    press('down', 'down', 'enter');
    await waitFor('Email someone when replication fails?');
    type('ops@example.com');
    press('enter');

    await expect(answers).resolves.toEqual({
      ...SEED,
      encryption: 'sse-kms',
      uploader: ['alice', 'arn:aws:iam::111111111111:role/l2-support'],
      storageClass: 'STANDARD_IA',
      alertEmail: ['ops@example.com'],
    });
    expect(asked.slice(-6)).toEqual([
      'More options (SSE-KMS encryption, certain uploaders only, log backup, storage class, failure alerts)?',
      'What does the source bucket hold?',
      'Encryption at rest?',
      'Replicate only what these source-account users upload (IAM user names or role ARNs, comma-separated; empty: everyone):',
      'Storage class of the replicas?',
      'Email someone when replication fails? (addresses, comma-separated; empty: no alerts)',
    ]);
  });

  it('log backup: no uploader question, and flags for any scenario skip the more-options question', async () => {
    const { answers, asked } = start({ ...SEED });
    await waitFor('More options');
    press('down', 'enter');
    await waitFor('What does the source bucket hold?');
    press('down', 'enter');
    await waitFor('Encryption at rest?');
    press('enter');
    await waitFor('Storage class of the replicas?');
    press('enter');
    await waitFor('Email someone when replication fails?');
    press('enter');
    await expect(answers).resolves.toEqual({ ...SEED, preset: 'log-backup', encryption: 'sse-s3' });
    expect(asked).not.toContain('Replicate only what these source-account users upload (IAM user names or role ARNs, comma-separated; empty: everyone):');

    const flagged = start({ ...SEED, encryption: 'sse-kms' });
    await expect(flagged.answers).resolves.toEqual({ ...SEED, encryption: 'sse-kms' });
    expect(flagged.asked).toEqual([]);
  });

  it('skips every question a flag or the config file answered, and says so', async () => {
    const { sourceRegion: _region, roleName: _role, rtc: _rtc, ...given } = SEED;
    const { answers, said, asked } = start({ ...given, prefix: 'logs/', deleteMarkerReplication: false });
    // Only the source region, the role and RTC are left.
    await waitFor(/❯ ap-southeast-1 .*\(profile xyz's region\)/);
    press('enter');
    await waitFor('Replication role to create in the source account');
    type('');
    await waitFor('Replication Time Control (RTC)?');
    press('down');
    await waitFor('no RTC charge');
    press('enter');
    await waitFor('More options');
    press('enter');

    await expect(answers).resolves.toEqual({ ...SEED, roleName: 's3-replication-role', prefix: 'logs/', rtc: false, deleteMarkerReplication: false });
    expect(said).toEqual([
      'Already answered by flags or --config: --source-profile xyz --source-bucket rubes-s3-bucket --dest-profile abcd --dest-region ap-southeast-2 --dest-bucket clint-s3-bucket --authorized-user tom-cruise --prefix logs/ --no-delete-marker-replication',
    ]);
    expect(asked).toEqual([
      'Source region (type to search):',
      'Replication role to create in the source account:',
      'Replication Time Control (RTC)?',
      'More options (SSE-KMS encryption, certain uploaders only, log backup, storage class, failure alerts)?',
    ]);
  });

  const { authorizedUser: _readers, ...allButReaders } = SEED;

  it('asks for typed names when the IAM users cannot be listed, and checks each one', async () => {
    const { answers, said } = start(allButReaders, fakeLookups({ usersFail: true }));
    await waitFor('Who in profile abcd may read the source bucket? IAM user names or user/role ARNs');
    expect(said).toContain('  ! could not list the IAM users of profile abcd: Access denied while listing IAM users with profile "abcd"');
    const badArn = 'arn:aws:iam::222222222222:group/admins';
    type(`tom-cruise, ${badArn}`);
    await waitFor(`"${badArn}" is not an IAM user or role ARN`);
    erase(badArn.length);
    await refusedThenFixed('tom-cruise', '"tom-cruise" is listed twice.', 'arn:aws:iam::222222222222:role/auditor');
    await waitFor('More options');
    press('enter');
    await expect(answers).resolves.toMatchObject({ authorizedUser: ['tom-cruise', 'arn:aws:iam::222222222222:role/auditor'] });
  });

  it('adds typed readers to the ones chosen from the list', async () => {
    const { answers } = start(allButReaders);
    await waitFor('Who in profile abcd may read the source bucket? (none is fine)');
    press('space', 'down', 'down', 'space');
    await waitFor(/◉ someone else/);
    press('enter');
    await waitFor('Who else may read the source bucket?');
    await refusedThenFixed('clint-eastwood', '"clint-eastwood" is listed twice.', 'arn:aws:iam::333333333333:user/auditor');
    await waitFor('More options');
    press('enter');
    await expect(answers).resolves.toMatchObject({ authorizedUser: ['clint-eastwood', 'arn:aws:iam::333333333333:user/auditor'] });
  });

  it('rejects with ExitPromptError on Ctrl-C, whatever the question', async () => {
    const { answers } = start({ sourceProfile: 'xyz' });
    await waitFor('Source region');
    screen.keypress({ name: 'c', ctrl: true });
    const error = await answers.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPromptExit(error)).toBe(true);
  });

  it('offers the default credential chain when the AWS files have no profiles, and leaves the profile out', async () => {
    const lookups = fakeLookups();
    lookups.profiles = { exists: () => false, region: () => undefined, names: () => [] };
    const { answers, said } = start({ destProfile: 'abcd' }, lookups);
    const shown = await waitFor('Source AWS profile');
    expect(shown).toMatch(/❯ no profile: (default chain|environment)/);
    press('enter');
    await waitFor('Source region (type to search)');
    expect(said.join('\n')).toMatch(/✓ (default chain|environment).* is account 111111111111/);
    screen.keypress({ name: 'c', ctrl: true });
    await answers.catch(() => undefined);
  });

  it('asks for the go-ahead after the plan, yes by default', async () => {
    const yes = askToApply(kit);
    await waitFor('Apply these changes to both accounts? (Y/n)');
    press('enter');
    await expect(yes).resolves.toBe(true);

    const no = askToApply(kit);
    await waitFor('Apply these changes to both accounts? (Y/n)');
    type('n');
    await expect(no).resolves.toBe(false);
  });

  it('asks for the go-ahead with no by default when the plan removes something (Enter alone takes nothing away)', async () => {
    const enter = askToApply(kit, true);
    await waitFor('Apply these changes, removals included, to both accounts? (y/N)');
    press('enter');
    await expect(enter).resolves.toBe(false);

    const yes = askToApply(kit, true);
    await waitFor('Apply these changes, removals included, to both accounts? (y/N)');
    type('y');
    press('enter');
    await expect(yes).resolves.toBe(true);
  });
});
