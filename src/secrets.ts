/**
 * Last line of defence for "secrets never reach output": every credential the SDK resolves is registered here, and
 * everything the CLI prints passes through redact(). Access key ids are masked by shape as well.
 */
const known = new Set<string>();

export function registerSecrets(...values: (string | undefined)[]): void {
  for (const value of values) if (value && value.length >= 8) known.add(value);
}

const KEY_ID = /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g;

export function redact(text: string): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join('[REDACTED]');
  return out.replace(KEY_ID, (id) => `${id.slice(0, 4)}…[REDACTED]`);
}
