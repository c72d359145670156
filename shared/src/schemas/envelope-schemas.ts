/** Joi schemas of the envelopes. Envelopes tolerate fields they do not know (a newer client may add some); payloads are checked by the catalogue. */
import Joi from "joi";
import { correlationId, typeName, unitId } from "./fields.js";

const MAX_TARGET_UNITS = 10_000;
const MAX_SUBSCRIBE_UNITS = 1_000;

export const requestEnvelopeSchema = Joi.object({
  unitId: unitId.required(),
  type: typeName.required(),
  payload: Joi.object().required(),
  timeoutMs: Joi.number().integer().min(1).max(24 * 3600 * 1000),
  id: correlationId,
}).unknown(true);

export const unitEventEnvelopeSchema = Joi.object({
  type: typeName.required(),
  payload: Joi.object().required(),
  id: correlationId,
}).unknown(true);

export const publishEnvelopeSchema = Joi.object({
  target: Joi.alternatives()
    .try(
      Joi.object({ unitId: unitId.required() }),
      Joi.object({ unitIds: Joi.array().items(unitId).min(1).max(MAX_TARGET_UNITS).unique().required() }),
      Joi.object({ all: Joi.valid(true).required() }),
    )
    .required(),
  type: typeName.required(),
  payload: Joi.object().required(),
  id: correlationId,
}).unknown(true);

export const subscribeArgsSchema = Joi.object({
  unitIds: Joi.array().items(unitId).min(1).max(MAX_SUBSCRIBE_UNITS).required(),
}).unknown(true);

export const unitDisconnectArgsSchema = Joi.object({
  unitId: unitId.required(),
  reason: Joi.string().min(1).max(256).required(),
}).unknown(true);

export const principalRevokeArgsSchema = Joi.object({
  sub: Joi.string().min(1).max(256).required(),
  reason: Joi.string().max(256),
}).unknown(true);

export const authRefreshArgsSchema = Joi.object({
  token: Joi.string().min(1).max(8192).required(),
}).unknown(true);

export const emptyArgsSchema = Joi.object().unknown(true);

/** What a unit answers to a request; `data` is checked against the type's result schema afterwards. */
export const unitAnswerSchema = Joi.alternatives().try(
  Joi.object({ ok: Joi.valid(true).required(), data: Joi.any() }).unknown(true),
  Joi.object({
    ok: Joi.valid(false).required(),
    error: Joi.object({
      code: Joi.string().min(1).max(64).required(),
      message: Joi.string().max(1024).allow("").required(),
      details: Joi.any(),
    })
      .unknown(true)
      .required(),
  }).unknown(true),
);
