import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/** The one ajv that checks eForms (JSON Schemas of procedures), with the standard formats (date, email…). */
export const eformAjv = new Ajv({ allErrors: true, strict: false });
addFormats.default(eformAjv);
