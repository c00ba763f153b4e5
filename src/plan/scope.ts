import type { SetupInput } from '../input/types.js';

/** What a setup replicates: its prefix, the log-export default, each uploader's own prefix under it. Pure. */

/** Default prefix CloudWatch Logs writes exports under when the user gives none. */
export const LOG_EXPORT_PREFIX = 'exportedlogs/';

export const exportPrefix = (input: SetupInput): string => input.prefix || (input.preset === 'log-backup' ? LOG_EXPORT_PREFIX : '');

export const uploaderPrefix = (input: SetupInput, uploader: string): string => `${exportPrefix(input)}${uploader.split('/').pop()}/`;
