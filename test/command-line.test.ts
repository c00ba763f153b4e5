// The wizard command a person who typed their answers is shown after a Ctrl-C or a failure half-way: pure.
import { describe, expect, it } from 'vitest';
import { wizardCommandFor } from '../src/report/command-line.js';

describe('the answers as one wizard command', () => {
  it('gives each option by its flag, in the table order, lists repeated, booleans only when not the default, odd values quoted', () => {
    const command = wizardCommandFor({
      sourceProfile: 'xyz',
      sourceBucket: 'rubes-s3-bucket',
      destProfile: 'abcd',
      destBucket: 'clint-s3-bucket',
      authorizedUser: ['tom-cruise', 'arn:aws:iam::222222222222:role/auditor'],
      prefix: "incident reports/it's/",
      rtc: false,
      deleteMarkerReplication: true,
    });
    expect(command).toBe(
      "replicate-setup wizard --yes --source-profile xyz --source-bucket rubes-s3-bucket --dest-profile abcd --dest-bucket clint-s3-bucket --authorized-user tom-cruise --authorized-user arn:aws:iam::222222222222:role/auditor --prefix 'incident reports/it'\\''s/' --no-rtc",
    );
  });
});
