// Checks shared by the export tests: the Terraform directory read back with HashiCorp's parser and formatter, every
// policy compared with the plan's own document; the CloudFormation templates written out for cfn-lint.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from '@cdktf/hcl-tools';
import { expect } from 'vitest';
import { isAlias, parseAllDocuments, visit } from 'yaml';
import { exportSetup } from '../../src/export/index.js';
import { exportModel } from '../../src/export/model.js';
import type { Change } from '../../src/plan/changes.js';
import { KNOWN_AFTER_APPLY } from '../../src/plan/pending.js';
import type { PreparedSetup } from '../../src/plan/prepared.js';
import { cfnLint } from './cfn-lint.js';
import { type ParsedHcl, parseHcl, undoJsonencode } from './hcl.js';

/** The planned document of each exported policy, by Terraform address and attribute. */
function plannedPolicies(changes: Change[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const change of changes) {
    if (change.kind === 'bucket-policy' && change.document) out.set(`aws_s3_bucket_policy.${change.side}.policy`, change.document);
    if (change.kind === 'role') out.set('aws_iam_role.replication.assume_role_policy', change.trustPolicy);
    if (change.kind === 'role-policy') out.set('aws_iam_role_policy.replication.policy', change.document);
    if (change.kind === 'kms-key-policy') out.set(`aws_kms_key.${change.side}.policy`, change.document);
    if (change.kind === 'sns-topic') out.set('aws_sns_topic_policy.alerts.policy', change.policy);
    if (change.kind === 'batch-role') {
      out.set('aws_iam_role.batch.assume_role_policy', change.trustPolicy);
      out.set('aws_iam_role_policy.batch.policy', change.document);
    }
    if (change.kind === 'reader-policy') {
      const type = change.principalKind === 'user' ? 'aws_iam_user_policy' : 'aws_iam_role_policy';
      out.set(`${type}.reader_${change.principalName.replace(/[^A-Za-z0-9_]/g, '_')}.policy`, change.document);
    }
  }
  return out;
}

/**
 * Parses main.tf, undoes each jsonencode and compares it with the plan: exactly the plan's document. Where the plan
 * creates a key, its documents say "(known after apply)"; the export (like apply) plans them again with the key in
 * place, and the reference to the key resource must stand exactly where that plan has the key's ARN.
 */
export async function checkTerraform(prepared: PreparedSetup): Promise<{ text: string; parsed: ParsedHcl }> {
  const text = exportSetup(prepared, 'terraform').stdout;
  expect(await format(text), 'terraform fmt (hclwrite) leaves main.tf unchanged').toBe(text);
  const parsed = await parseHcl(text);
  const model = exportModel(prepared);
  const planned = plannedPolicies(model.keyStandIns.source || model.keyStandIns.destination ? model.changes : prepared.plan.changes);
  const exported = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(parsed.resource)) {
    for (const [name, [body]] of Object.entries(byName)) {
      for (const attribute of ['policy', 'assume_role_policy']) {
        if (body![attribute] === undefined) continue;
        const asPlanned = JSON.stringify(await undoJsonencode(String(body![attribute]))).replace(
          /\$\{aws_kms_key\.(source|destination)\.arn\}/g,
          (_match, side: 'source' | 'destination') => model.keyStandIns[side]!,
        );
        exported.set(`${type}.${name}.${attribute}`, JSON.parse(asPlanned));
      }
    }
  }
  expect([...exported.keys()].sort()).toEqual([...planned.keys()].sort());
  for (const [address, document] of planned) expect(exported.get(address), address).toEqual(document);
  // Nothing of the plan's placeholder survives: each new key is referenced instead.
  expect(text).not.toContain(KNOWN_AFTER_APPLY);
  for (const side of ['source', 'destination'] as const) {
    if (model.keyStandIns[side]) expect(text).toContain(`aws_kms_key.${side}.arn`);
  }
  return { text, parsed };
}

/** Writes both templates (and the README) to a new directory and lints them; returns the files, the errors and every finding. */
export async function lintCloudFormation(prepared: PreparedSetup): Promise<{ files: Record<string, string>; errors: string[]; findings: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'replicate-setup-cfn-'));
  const { files } = exportSetup(prepared, 'cloudformation');
  await Promise.all(files.map((file) => writeFile(join(dir, file.path), file.content)));
  const templates = files.filter((file) => file.path.endsWith('.yaml')).map((file) => join(dir, file.path));
  const { findings } = await cfnLint(templates);
  const said = (f: (typeof findings)[number]): string => `${f.rule}: ${f.message}`;
  const errors = findings.filter((f) => f.level === 'Error').map(said);
  return { files: Object.fromEntries(files.map((file) => [file.path, file.content])), errors, findings: findings.map(said) };
}

/** Every anchor (`&a1`) and alias (`*a1`) in a YAML stream: CloudFormation rejects both, so an export has none. */
export function anchorsAndAliases(yamlText: string): string[] {
  const found: string[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) found.push(`*${node.source}`);
        else if (node.anchor) found.push(`&${node.anchor}`);
      },
    });
  }
  return found;
}
