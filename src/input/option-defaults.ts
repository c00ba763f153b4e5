/** Defaults that are literal values, shared by the table of options and the code that applies them. */
export const DEFAULT_ROLE_NAME = 's3-replication-role';
export const DEFAULT_CANARY_TIMEOUT_SECONDS = 900;
