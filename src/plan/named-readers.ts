import type { DocumentContext } from './documents.js';
import { type PrincipalRef, parsePrincipalArn, parseSid, principalRef } from './names.js';
import { principalsOf } from './ownership.js';
import type { PolicyDocument } from './policy-types.js';

/** The statements of sourcePolicyStatements (documents.ts) that admit the readers to the source bucket. */
const READER_PURPOSES: ReadonlySet<string> = new Set(['AuthorizedList', 'AuthorizedRead']);

const keyOf = (ref: Pick<PrincipalRef, 'kind' | 'name'>): string => `${ref.kind}/${ref.name}`;

/**
 * The readers this setup's own statements in the source bucket policy name that the flags do not give: the users and
 * roles of the destination account, where the tool wrote each an identity policy. Its statements are found by the
 * setup id alone (never by a previous release's Sid, which another pair can share). Readers of another account are
 * left out (the tool wrote them no identity policy), as is a principal AWS shows by its unique id (AIDA…, AROA…):
 * that principal was deleted, and the name it had is not known. A user and role are told apart by kind and name, not
 * by ARN: IAM names are unique in an account whatever the path, and a flag may give a bare name for a user with one.
 */
export function readersNamedByStatements(
  setup: Pick<DocumentContext, 'input' | 'accounts' | 'names'>,
  sourcePolicy: PolicyDocument | undefined,
): PrincipalRef[] {
  const { destination } = setup.accounts;
  const given = new Set(setup.input.authorizedUsers.map((user) => keyOf(principalRef(user, destination))));
  const found = new Map<string, PrincipalRef>();
  for (const statement of sourcePolicy?.Statement ?? []) {
    const sid = parseSid(statement.Sid);
    if (sid?.setupId !== setup.names.setupId || !READER_PURPOSES.has(sid.purpose)) continue;
    for (const ref of principalsOf(statement).map(parsePrincipalArn)) {
      if (ref?.accountId === destination && !given.has(keyOf(ref))) found.set(keyOf(ref), ref);
    }
  }
  return [...found.values()];
}
