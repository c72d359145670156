/** Joi schemas of the envelopes. Envelopes tolerate fields they do not know (a newer client may add some); payloads are checked by the catalogue. */
import Joi from "joi";
import {
  ANSWER_CODE_MAX_LENGTH,
  ANSWER_MESSAGE_MAX_LENGTH,
  MAX_TARGET_UNITS,
  REQUEST_TIMEOUT_MAX_MS,
  REQUEST_TIMEOUT_MIN_MS,
  isPublishEnvelope,
  isRequestEnvelope,
  isUnitAnswer,
} from "./envelope-guards.js";
import { correlationId, typeName, unitId } from "./fields.js";
import { withFastCheck } from "./validation.js";

const MAX_SUBSCRIBE_UNITS = 1_000;

/** On the hot path: `isRequestEnvelope` accepts the well-formed ones without Joi (see envelope-guards.ts). */
export const requestEnvelopeSchema = withFastCheck(
  Joi.object({
    unitId: unitId.required(),
    type: typeName.required(),
    payload: Joi.object().required(),
    timeoutMs: Joi.number().integer().min(REQUEST_TIMEOUT_MIN_MS).max(REQUEST_TIMEOUT_MAX_MS),
    id: correlationId,
  }).unknown(true),
  isRequestEnvelope,
);

export const unitEventEnvelopeSchema = Joi.object({
  type: typeName.required(),
  payload: Joi.object().required(),
  id: correlationId,
}).unknown(true);

/** On the hot path: `isPublishEnvelope` accepts the well-formed ones without Joi (see envelope-guards.ts). */
export const publishEnvelopeSchema = withFastCheck(
  Joi.object({
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
  }).unknown(true),
  isPublishEnvelope,
);

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

/**
 * What a unit answers to a request; `data` is checked against the type's result schema afterwards.
 * On the hot path: `isUnitAnswer` accepts the well-formed ones without Joi (see envelope-guards.ts).
 */
export const unitAnswerSchema = withFastCheck(
  Joi.alternatives().try(
    Joi.object({ ok: Joi.valid(true).required(), data: Joi.any() }).unknown(true),
    Joi.object({
      ok: Joi.valid(false).required(),
      error: Joi.object({
        code: Joi.string().min(1).max(ANSWER_CODE_MAX_LENGTH).required(),
        message: Joi.string().max(ANSWER_MESSAGE_MAX_LENGTH).allow("").required(),
        details: Joi.any(),
      })
        .unknown(true)
        .required(),
    }).unknown(true),
  ),
  isUnitAnswer,
);
