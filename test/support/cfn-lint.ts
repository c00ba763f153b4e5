// cfn-lint (PyPI) in its own venv beside moto's, made the same way: pinned, installed once, then run offline.
import { spawnSync } from 'node:child_process';
import { ensureVenvTool } from '../../src/emulator/python-venv.js';

export const CFN_LINT_VERSION = '1.58.0';

export const ensureCfnLint = (): Promise<string> =>
  ensureVenvTool({ venv: 'cfn-lint-venv', requirements: [`cfn-lint==${CFN_LINT_VERSION}`], binary: 'cfn-lint', label: 'cfn-lint' });

export interface LintResult {
  /** cfn-lint's exit code: 0 clean; bit 2 errors, bit 4 warnings, bit 8 informational. */
  status: number;
  /** Each finding as cfn-lint prints it (rule id, message, file:line). */
  findings: { level: string; rule: string; message: string }[];
}

/** Lints template files; every finding is returned so a test can show what cfn-lint said. */
export async function cfnLint(files: string[]): Promise<LintResult> {
  const binary = await ensureCfnLint();
  const result = spawnSync(binary, ['--format', 'json', '--', ...files], { encoding: 'utf8' });
  if (result.error) throw result.error;
  const parsed = JSON.parse(result.stdout || '[]') as { Level: string; Rule: { Id: string }; Message: string }[];
  return { status: result.status ?? -1, findings: parsed.map((f) => ({ level: f.Level, rule: f.Rule.Id, message: f.Message })) };
}
