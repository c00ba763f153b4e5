import type { Accounts, SetupInput } from '../input/types.js';
import type { Plan } from './changes.js';
import type { LiveState } from './live.js';

/** A setup read and planned: what `plan` prints, what `wizard` confirms and applies, what `verify` checks. */
export interface PreparedSetup {
  input: SetupInput;
  accounts: Accounts;
  live: LiveState;
  plan: Plan;
}
