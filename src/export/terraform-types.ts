import type { Side } from '../plan/changes.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import type { Value } from './hcl.js';

/** How a policy document is written into main.tf (jsonencode of the plan's own document). */
export type Json = (document: PolicyDocument) => Value;

/** Records that a resource exists live: an `import` block is written for it, so adopting it never recreates it. */
export type Adopt = (exists: boolean, address: string, side: Side, id: string) => void;
