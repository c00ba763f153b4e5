/**
 * A value that exists only once an earlier step has run: the ARN of a KMS key this run creates. It is a type, not a
 * text: documents show it as terraform does, "(known after apply)", and the planner marks every change that names it
 * (from the dependency graph), so apply never has to search a document for the words.
 */
export const KNOWN_AFTER_APPLY = '(known after apply)';

export type KeyArn = { arn: string } | { pending: 'source' | 'destination' };

export interface KeyArns {
  source: KeyArn;
  destination: KeyArn;
}

/** The ARN as a document writes it: the real one, or the placeholder shown in a plan. */
export const arnText = (key: KeyArn): string => ('arn' in key ? key.arn : KNOWN_AFTER_APPLY);

export const isPending = (key: KeyArn | undefined): key is { pending: 'source' | 'destination' } => !!key && 'pending' in key;
