import type { MfaCodeProvider } from '../aws/clients.js';
import { ReplicateSetupError } from '../errors.js';
import type { PromptKit } from './prompt-kit.js';

const MFA_CODE = /^\d{6}$/;

/**
 * The MFA code a role profile with `mfa_serial` needs, asked at the terminal (once per profile: the providers that
 * use it keep the credentials it buys). Without a terminal nobody can type it, so the run stops with exit 2 and says
 * which profile needs one, before anything is written.
 */
export function mfaCodeProvider(atTerminal: boolean, loadPrompts: () => Promise<PromptKit>): MfaCodeProvider {
  const asked = new Map<string, Promise<string>>();
  return (profile, serial) => {
    if (!atTerminal) {
      return Promise.reject(
        new ReplicateSetupError('NO_CREDENTIALS', `Profile "${profile}" needs an MFA code (mfa_serial ${serial}), and there is no terminal to ask for it.`, {
          remedy: `Run the command at a terminal to type the code, or get temporary credentials first (aws sts get-session-token --serial-number ${serial} --token-code CODE) and pass them in the environment.`,
          exitCode: 2,
        }),
      );
    }
    let code = asked.get(profile);
    if (!code) {
      code = loadPrompts().then((prompts) =>
        prompts.input({
          message: `MFA code for profile ${profile} (${serial}):`,
          validate: (typed) => MFA_CODE.test(typed.trim()) || 'The code is the 6 digits your MFA device shows.',
        }),
      );
      asked.set(profile, code);
    }
    return code.then((typed) => typed.trim());
  };
}
