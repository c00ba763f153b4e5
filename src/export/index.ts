import type { PreparedSetup } from '../plan/prepared.js';
import { cloudFormationTemplates, templateYaml } from './cloudformation.js';
import { cloudFormationReadme, templateFileName } from './cloudformation-readme.js';
import { exportModel } from './model.js';
import { terraformMainTf } from './terraform.js';

export type ExportFormat = 'terraform' | 'cloudformation';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['terraform', 'cloudformation'];

export interface ExportFile {
  /** Relative to --out. */
  path: string;
  content: string;
}

export interface ExportResult {
  /** What --out DIR gets. */
  files: ExportFile[];
  /** What stdout gets without --out: one file. */
  stdout: string;
}

/**
 * The setup as infrastructure as code. Terraform: one main.tf, which is also what stdout gets. CloudFormation: a
 * template per account and a README with the deploy order; stdout gets both templates as one multi-document YAML
 * stream (destination first), since `aws cloudformation deploy` takes one template per stack: use --out for files.
 */
export function exportSetup(prepared: PreparedSetup, format: ExportFormat): ExportResult {
  const model = exportModel(prepared);
  if (format === 'terraform') {
    const mainTf = terraformMainTf(model);
    return { files: [{ path: 'main.tf', content: mainTf }], stdout: mainTf };
  }
  const templates = cloudFormationTemplates(model);
  const readme = cloudFormationReadme(model, templates);
  const files = templates.map((file) => ({
    path: templateFileName(file.side),
    content: templateYaml(file, [
      `replicate-setup export: the ${file.side} account's template (${templateFileName(file.side)}).`,
      'Deploy order and commands: README.md next to it.',
    ]),
  }));
  const stdout = files.map((file) => (file === files[0] ? file.content : `---\n${file.content}`)).join('');
  return { files: [...files, { path: 'README.md', content: readme }], stdout };
}
