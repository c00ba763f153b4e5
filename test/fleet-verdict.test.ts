// The fleet summary's last line, pure: numbers agree with their nouns, and only a writing command promises that a
// re-run finishes what is left.
import { describe, expect, it } from 'vitest';
import { fleetVerdict, interruptedVerdict } from '../src/report/fleet-view.js';

describe("a fleet summary's verdict", () => {
  it('all ok, one or many', () => {
    expect(fleetVerdict(0, 1, true)).toBe('The setup is ok.');
    expect(fleetVerdict(0, 3, false)).toBe('All 3 setups ok.');
  });

  it('a writing command (wizard, teardown) says a re-run finishes what is left', () => {
    expect(fleetVerdict(1, 3, true)).toBe(
      '1 of 3 setups failed; the others are done. Do what is said above for each, then run the same command again: it finishes only what is left.',
    );
    expect(fleetVerdict(1, 2, true)).toBe(
      '1 of 2 setups failed; the other is done. Do what is said above for each, then run the same command again: it finishes only what is left.',
    );
    expect(fleetVerdict(1, 1, true)).toBe(
      '1 of 1 setup failed. Do what is said above for each, then run the same command again: it finishes only what is left.',
    );
  });

  it('a read (plan, verify, status, jobs) only reports', () => {
    expect(fleetVerdict(2, 5, false)).toBe('2 of 5 setups failed; the others are ok.');
    expect(fleetVerdict(2, 2, false)).toBe('2 of 2 setups failed.');
  });

  it('after Ctrl-C or SIGTERM: how many were not finished, how many are done, and that a re-run finishes the rest', () => {
    expect(interruptedVerdict(3, 8)).toBe('Interrupted: 3 of 8 setups not finished, 5 done. Run the same command again to finish what is left.');
    expect(interruptedVerdict(1, 1)).toBe('Interrupted: 1 of 1 setup not finished. Run the same command again to finish what is left.');
  });
});
