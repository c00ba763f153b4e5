import { OPTION_TABLE, type OptionSpec, type SetupOptionKey } from './option-table.js';
import { SETUP_OPTION_KEYS } from './options.js';

/**
 * The JSON Schema of a --config file, derived from the table of options so it cannot drift from what the reader
 * accepts: `npm run schema` writes it to schema/replicate-setup.schema.json, and a test fails when the committed file
 * differs from what this returns. Hand-made from the table rather than through a schema library: the table is already
 * the single definition, and a second one (zod) would have to be kept in step with it.
 */
function propertyOf(spec: OptionSpec): Record<string, unknown> {
  const description = spec.help + (spec.onlyWith ? ` (only with ${spec.onlyWith.key}: ${spec.onlyWith.value})` : '');
  const defaults = spec.defaultValue === undefined ? {} : { default: spec.defaultValue };
  switch (spec.type) {
    case 'boolean':
      return { type: 'boolean', description, ...defaults };
    case 'list':
      return { type: 'array', items: { type: 'string' }, description };
    case 'choice':
      return { enum: [...(spec.choices ?? [])], description, ...defaults };
    default:
      return { type: 'string', ...(spec.values ? { enum: [...spec.values] } : {}), description, ...defaults };
  }
}

const optionProperties = (): Record<string, unknown> =>
  Object.fromEntries(SETUP_OPTION_KEYS.map((key: SetupOptionKey) => [key, propertyOf(OPTION_TABLE[key])]));

const schemaRef = { type: 'string', description: 'the JSON Schema of this file, for editors' };

export function configFileSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'replicate-setup --config file',
    description:
      'One setup (its options, named as the flags in camelCase), or a fleet: { defaults, setups: [ { name?, ...options } ] } where each setup inherits defaults.',
    type: 'object',
    if: { required: ['setups'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keywords, not a thenable
    then: { $ref: '#/$defs/fleet' },
    else: { $ref: '#/$defs/setup' },
    $defs: {
      options: { type: 'object', properties: optionProperties(), additionalProperties: false },
      setup: { type: 'object', properties: { $schema: schemaRef, ...optionProperties() }, additionalProperties: false },
      fleet: {
        type: 'object',
        required: ['setups'],
        properties: {
          $schema: schemaRef,
          defaults: { $ref: '#/$defs/options', description: 'options every setup inherits' },
          setups: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              properties: {
                name: { type: 'string', minLength: 1, description: 'unique; what --only selects (default: source→dest)' },
                ...optionProperties(),
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    },
  };
}
