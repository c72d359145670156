/** Field schemas the catalogue is built from. */
import Joi from "joi";
import { UNIT_ID_PATTERN } from "../names.js";

/** Correlation ids: 1–128 printable ASCII characters, no spaces. */
export const CORRELATION_ID_PATTERN = /^[\x21-\x7e]+$/;
export const CORRELATION_ID_MAX_LENGTH = 128;
/** Catalogue type names: dotted lower-camel segments, e.g. `appointment.create`. */
export const TYPE_NAME_PATTERN = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;
export const TYPE_NAME_MAX_LENGTH = 128;

/** An opaque reference or id: printable, bounded. */
export const ref = Joi.string().min(1).max(128);
export const isoDateTime = Joi.string().isoDate().max(64);
export const shortText = Joi.string().max(256);
export const status = Joi.string().min(1).max(64);
export const amount = Joi.object({
  value: Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER).required(),
  currency: Joi.string().pattern(/^[A-Z]{3}$/).required(),
});
export const unitId = Joi.string().pattern(UNIT_ID_PATTERN);
/** A caller-chosen correlation id. */
export const correlationId = Joi.string().min(1).max(CORRELATION_ID_MAX_LENGTH).pattern(CORRELATION_ID_PATTERN);
/** A catalogue type name. */
export const typeName = Joi.string().min(1).max(TYPE_NAME_MAX_LENGTH).pattern(TYPE_NAME_PATTERN);
