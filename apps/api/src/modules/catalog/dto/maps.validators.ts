import { registerDecorator, type ValidationOptions } from 'class-validator';

const KEY = /^[a-z][a-z0-9_-]{0,39}$/;
const MAX_KEYS = 20;
const MAX_VALUES = 20;
const MAX_VALUE_LENGTH = 100;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_VALUE_LENGTH;

function mapValidator(name: string, message: string, valueOk: (value: unknown) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyName),
        options: { message, ...options },
        validator: {
          validate: (value: unknown) =>
            isPlainObject(value) &&
            Object.keys(value).length <= MAX_KEYS &&
            Object.entries(value).every(([key, entry]) => KEY.test(key) && valueOk(entry)),
        },
      });
}

/** Facet attributes: `{ color: ['red', 'blue'] }`; keys lower-case, up to 20 keys of up to 20 values. */
export const IsAttributeMap = mapValidator(
  'isAttributeMap',
  `$property must map lower-case keys to lists of 1 to ${MAX_VALUES} strings of 1 to ${MAX_VALUE_LENGTH} characters`,
  (entry) => Array.isArray(entry) && entry.length > 0 && entry.length <= MAX_VALUES && entry.every(isText),
);

/** Variant options: `{ size: 'M', color: 'Red' }`. */
export const IsOptionMap = mapValidator(
  'isOptionMap',
  `$property must map lower-case keys to strings of 1 to ${MAX_VALUE_LENGTH} characters`,
  isText,
);
