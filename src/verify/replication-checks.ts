import { sameDocument } from '../plan/compare.js';
import { missingConfiguredRole } from '../plan/live.js';
import { ruleOwner } from '../plan/ownership.js';
import { type ReplicationRule, replicationRules } from '../plan/replication-rules.js';
import { type Check, fail, pass, RERUN_WIZARD, skip, type VerifyContext, warn } from './types.js';

const IDS = ['replication.configuration', 'replication.rule', 'replication.rtc', 'replication.selection'] as const;

/**
 * The source bucket's replication configuration against the rules apply writes (replicationRules): the role, each
 * rule's target and owner override, RTC and metrics, and what it selects. Pure.
 */
export function replicationChecks(vc: VerifyContext): Check[] {
  const { input, live, plan } = vc.prepared;
  if (live.source.ownership !== 'ours') return IDS.map((id) => skip(id, `not checked: ${input.source.bucket} does not exist`));
  const configuration = live.source.replication;
  if (!configuration) {
    return [
      fail('replication.configuration', `${input.source.bucket} has no replication configuration`, `${RERUN_WIZARD} to write it.`),
      ...IDS.slice(1).map((id) => skip(id, 'not checked: no replication configuration')),
    ];
  }
  const missingRole = missingConfiguredRole(live);
  if (missingRole) {
    return [
      fail(
        'replication.configuration',
        `${input.source.bucket} replicates with role ${missingRole}, which does not exist: S3 cannot assume it, so nothing replicates`,
        `${RERUN_WIZARD}: it moves the configuration to ${live.role.arn} (--role-name) and names that role in the destination policy.`,
      ),
      ...IDS.slice(1).map((id) => skip(id, `not checked: the configured role ${missingRole} does not exist`)),
    ];
  }
  const desired = replicationRules(vc.documents);
  const owns = ruleOwner(vc.documents);
  const baseOf = (id: string | undefined): string => (id ?? '').split('@')[0]!;
  const pairs = desired.map((rule) => ({
    rule,
    live: configuration.Rules.find((r) => r.ID === rule.ID) ?? configuration.Rules.find((r) => owns(r) && baseOf(r.ID) === baseOf(rule.ID)),
  }));
  const found = pairs.filter((p): p is { rule: ReplicationRule; live: ReplicationRule } => p.live !== undefined);
  const missing = pairs.filter((p) => !p.live).map((p) => p.rule.ID);

  const checks = [ruleCheck(vc, found, missing), rtcCheck(found, input.rtc), selectionCheck(vc, found)];
  const change = plan.changes.find((c) => c.id === 'replication-configuration');
  const otherRules = configuration.Rules.length - found.length;
  const summary = `${input.source.bucket} replicates with role ${configuration.Role} (${configuration.Rules.length} rule${configuration.Rules.length === 1 ? '' : 's'}${otherRules > 0 ? `, ${otherRules} not replicate-setup's` : ''})`;
  const explained = checks.some((check) => check.status === 'fail');
  const configurationCheck =
    change?.action === 'no-op' || explained
      ? pass('replication.configuration', summary)
      : warn('replication.configuration', `${summary}, but it differs from what replicate-setup writes (rule priorities or rule form)`, `${RERUN_WIZARD}.`);
  return [configurationCheck, ...checks];
}

type Found = { rule: ReplicationRule; live: ReplicationRule }[];

function ruleCheck(vc: VerifyContext, found: Found, missing: string[]): Check {
  const { input, accounts } = vc.prepared;
  const problems: string[] = missing.map((id) => `no rule ${id}`);
  for (const { rule, live } of found) {
    const d = rule.Destination;
    const l = live.Destination;
    if (live.Status !== 'Enabled') problems.push(`rule ${live.ID} is ${live.Status}`);
    if (l.Bucket !== d.Bucket) problems.push(`rule ${live.ID} replicates to ${l.Bucket}, not ${d.Bucket}`);
    if (l.Account !== d.Account) problems.push(`rule ${live.ID} names destination account ${l.Account ?? '(none)'}, not ${d.Account ?? '(none)'}`);
    if (!sameDocument(l.AccessControlTranslation ?? null, d.AccessControlTranslation ?? null)) {
      problems.push(
        `rule ${live.ID} ${d.AccessControlTranslation ? 'does not override the owner to the destination account' : 'overrides the owner, which one account does not need'}`,
      );
    }
    if (l.StorageClass !== d.StorageClass)
      problems.push(`rule ${live.ID} stores replicas as ${l.StorageClass ?? 'the source class'}, not ${d.StorageClass ?? 'the source class'}`);
    if (!sameDocument(l.EncryptionConfiguration ?? null, d.EncryptionConfiguration ?? null)) {
      problems.push(
        `rule ${live.ID} encrypts replicas with ${l.EncryptionConfiguration?.ReplicaKmsKeyID ?? 'no KMS key'}, not ${d.EncryptionConfiguration?.ReplicaKmsKeyID ?? 'no KMS key'}`,
      );
    }
  }
  if (problems.length > 0) {
    return fail('replication.rule', problems.join('; '), `${RERUN_WIZARD} to rewrite replicate-setup's rule(s); other rules are kept.`);
  }
  const owner = found.some((f) => f.rule.Destination.AccessControlTranslation)
    ? ` in account ${accounts.destination}, replicas owned by that account (owner override)`
    : '';
  const rules = found.length === 1 ? "replicate-setup's rule is" : `replicate-setup's ${found.length} rules are`;
  return pass(
    'replication.rule',
    `${rules} enabled, replicating to ${input.destination.bucket}${owner}${input.storageClass ? `, stored as ${input.storageClass}` : ''}`,
  );
}

function rtcCheck(found: Found, rtc: boolean): Check {
  if (found.length === 0) return skip('replication.rtc', "not checked: replicate-setup's rule is missing");
  const off = found.filter(
    ({ rule, live }) =>
      !sameDocument(live.Destination.ReplicationTime ?? null, rule.Destination.ReplicationTime ?? null) ||
      !sameDocument(live.Destination.Metrics ?? null, rule.Destination.Metrics ?? null),
  );
  if (off.length === 0) {
    return pass(
      'replication.rtc',
      rtc ? 'Replication Time Control (15 min) and replication metrics are on' : 'Replication Time Control is off, as --no-rtc asks',
    );
  }
  const actual = (rule: ReplicationRule): string =>
    `RTC ${rule.Destination.ReplicationTime?.Status ?? 'off'}, metrics ${rule.Destination.Metrics?.Status ?? 'off'}`;
  return fail(
    'replication.rtc',
    `${off.map(({ live }) => `rule ${live.ID} has ${actual(live)}`).join('; ')}, expected RTC ${rtc ? 'on (15 min) with metrics' : 'off'}`,
    `${RERUN_WIZARD} to set it as intended.`,
  );
}

/** The selection as S3 means it: an absent prefix, delete-marker or KMS setting reads as empty or Disabled. */
const selectionOf = (rule: ReplicationRule): unknown => ({
  filter: rule.Filter?.And ?? rule.Filter?.Tag ?? rule.Filter?.Prefix ?? '',
  deleteMarkers: rule.DeleteMarkerReplication?.Status ?? 'Disabled',
  sseKms: rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status ?? 'Disabled',
});

const describeSelection = (rule: ReplicationRule): string =>
  `${rule.Filter?.Prefix ? `prefix "${rule.Filter.Prefix}"` : 'the whole bucket'}, delete markers ${rule.DeleteMarkerReplication?.Status === 'Enabled' ? '' : 'not '}replicated${rule.SourceSelectionCriteria ? ', SSE-KMS objects included' : ''}`;

/**
 * What each rule selects. AWS echoes Filter, DeleteMarkerReplication and SourceSelectionCriteria, so they are compared.
 * Other endpoints (moto) answer fixed values: the rule ID's fingerprint of the selection, written together with it,
 * is then the evidence, and the message says that this is all that is proven.
 */
function selectionCheck(vc: VerifyContext, found: Found): Check {
  if (found.length === 0) return skip('replication.selection', "not checked: replicate-setup's rule is missing");
  const intended = found.map(({ rule }) => describeSelection(rule)).join('; ');
  const fingerprintOf = (id: string | undefined): string | undefined => id?.split('@')[1];
  const changed = found.filter(({ rule, live }) => fingerprintOf(live.ID) !== fingerprintOf(rule.ID));
  if (changed.length > 0) {
    return fail(
      'replication.selection',
      `rule ${changed.map(({ live }) => live.ID).join(', ')} was written for another selection than ${intended} (fingerprint @${fingerprintOf(changed[0]!.rule.ID)} expected)`,
      `${RERUN_WIZARD}, or pass the --prefix / --no-delete-marker-replication it was set up with.`,
    );
  }
  if (!vc.clients.isAws) {
    return pass(
      'replication.selection',
      `${intended}: proven only by the rule ID fingerprint @${found.map(({ rule }) => fingerprintOf(rule.ID)).join(', @')} (replicate-setup wrote this selection); this endpoint does not echo Filter or DeleteMarkerReplication, so what it applies is not proven`,
    );
  }
  const differs = found.filter(({ rule, live }) => !sameDocument(selectionOf(live), selectionOf(rule)));
  if (differs.length > 0) {
    return fail(
      'replication.selection',
      `rule ${differs.map(({ live }) => `${live.ID} selects ${describeSelection(live)}`).join('; ')}, not ${intended}`,
      `${RERUN_WIZARD} to rewrite it.`,
    );
  }
  return pass('replication.selection', `${intended}, as S3 reports it`);
}
