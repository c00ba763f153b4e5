// Each answer is checked when it is given (fake terminal, fake lookups), and a problem found after the questions
// re-asks only the answers concerned (pure helpers of src/wizard/reask.ts).

import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { problemAt } from '../src/input/options.js';
import { regionChoices, unlistedUserProblem } from '../src/wizard/answers.js';
import { concernedKeys, problemsAsAnswers, withoutAnswers } from '../src/wizard/reask.js';
import { fakeLookups, press, SEED, start, type, waitFor } from './support/wizard.js';

describe('each wizard answer is checked when given', () => {
  it("a profile whose credentials fail is reported with the SDK's reason and asked again, before any other question", async () => {
    const { answers, said, asked } = start({}, fakeLookups({ badProfile: 'xyz' }));
    await waitFor('Source AWS profile');
    press('down', 'enter'); // xyz: its token has expired
    for (let i = 0; i < 400 && asked.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await waitFor('Source AWS profile');
    expect(said.join('\n')).toContain('✗ profile xyz cannot be used: Could not get credentials from profile "xyz": Token is expired.');
    expect(said.join('\n')).toContain('aws sso login --profile xyz');
    expect(asked).toEqual(['Source AWS profile (the account whose bucket is copied from):', 'Source AWS profile (the account whose bucket is copied from):']);
    press('enter'); // abcd works
    await waitFor('Source region');
    expect(said).toContain('  ✓ profile abcd is account 222222222222');
    screen.keypress({ name: 'c', ctrl: true });
    await answers.catch(() => undefined);
  });

  it('a typed reader that is not among the IAM users listed is refused at once', () => {
    const listed = ['clint-eastwood', 'tom-cruise'];
    expect(unlistedUserProblem(['tom-cruise'], listed, 'Account 222222222222')).toBeUndefined();
    expect(unlistedUserProblem(['arn:aws:iam::333333333333:role/auditor'], listed, 'Account 222222222222')).toBeUndefined();
    expect(unlistedUserProblem(['tom-cruze'], listed, 'Account 222222222222')).toBe(
      'Account 222222222222 has no IAM user tom-cruze (its users: clint-eastwood, tom-cruise); give an existing user, or a user/role ARN.',
    );
    // Users that could not be listed: the name is taken as given, the check before any change reports it.
    expect(unlistedUserProblem(['tom-cruze'], undefined, 'Account 222222222222')).toBeUndefined();
  });

  it('refuses a typed uploader the source account does not have, at the question', async () => {
    const { answers } = start({ ...SEED, sourceProfile: 'xyz' });
    await waitFor('More options');
    press('down', 'enter');
    await waitFor('What does the source bucket hold?');
    press('enter');
    await waitFor('Encryption at rest?');
    press('enter');
    await waitFor('Replicate only what these source-account users upload');
    type('bob');
    await waitFor('has no IAM user bob (its users: alice)');
    for (let i = 0; i < 3; i++) screen.keypress('backspace');
    type('alice');
    await waitFor('Storage class of the replicas?');
    const shown = screen.getScreen();
    expect(shown).not.toContain('REDUCED_REDUNDANCY');
    press('enter');
    await waitFor('Email someone when replication fails?');
    press('enter');
    expect((await answers).uploader).toEqual(['alice']);
  });

  it('names the default region by where it comes from, not "(profile default)"', () => {
    const choices = regionChoices(
      '',
      { 'ap-southeast-1': 'Asia Pacific (Singapore)', 'us-east-1': 'US East (N. Virginia)' },
      { region: 'ap-southeast-1', why: "profile xyz's region" },
    );
    expect(choices[0]!.name).toBe("ap-southeast-1  Asia Pacific (Singapore)  (profile xyz's region)");
    expect(choices.map((choice) => choice.name).join('\n')).not.toContain('profile default');
  });
});

describe('a problem found after the questions re-asks the answers concerned', () => {
  const problem = new InputError([
    problemAt('authorizedUser', 'arn:aws:iam::222222222222:user/tom-cruze does not exist in account 222222222222'),
    problemAt('sourceProfile', 'AWS did not accept the keys'),
  ]);

  it('finds the answers each problem concerns, and keeps every other answer', () => {
    expect(concernedKeys(problem)).toEqual(['sourceProfile', 'authorizedUser']);
    const given = { ...SEED, authorizedUser: ['tom-cruze'], storageClass: undefined };
    const { answers, settled } = withoutAnswers(given, concernedKeys(problem));
    expect(answers.sourceProfile).toBeUndefined();
    expect(answers.authorizedUser).toBeUndefined();
    expect(answers.destProfile).toBe('abcd');
    expect(answers.sourceBucket).toBe(SEED.sourceBucket);
    // Left out on purpose (the scenario options), so not asked again; the concerned ones are.
    expect(settled.has('storageClass')).toBe(true);
    expect(settled.has('sourceProfile')).toBe(false);
  });

  it('speaks of answers, naming the flag only in brackets', () => {
    const lines = problemsAsAnswers(problem);
    expect(lines[0]).toMatch(/^your answer for destination-account IAM user .*\(--authorized-user\): arn:aws:iam::222222222222:user\/tom-cruze does not exist/);
    expect(lines[1]).toMatch(/^your answer for AWS profile of the source \(partner\) account \(--source-profile\)/);
  });
});
