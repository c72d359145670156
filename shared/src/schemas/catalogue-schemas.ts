/** Joi schemas of the version 1 catalogue (PROTOCOL.md), one entry per type. */
import Joi from "joi";
import type { EventType, RequestType } from "../catalogue-types.js";
import { amount, isoDateTime, ref, shortText, status } from "./fields.js";

export interface RequestSchemas {
  payload: Joi.ObjectSchema;
  result: Joi.ObjectSchema;
}

const empty = Joi.object({});
const appointmentResult = Joi.object({ appointmentId: ref.required(), status: status.required() });
const appointmentEvent = Joi.object({
  appointmentId: ref.required(),
  patientRef: ref.required(),
  start: isoDateTime.required(),
  end: isoDateTime.required(),
  status: status.required(),
});
const registrationEvent = Joi.object({
  registrationId: ref.required(),
  patientRef: ref.required(),
  status: status.required(),
  at: isoDateTime.required(),
});

export const REQUEST_SCHEMAS: Readonly<Record<RequestType, RequestSchemas>> = {
  "unit.ping": { payload: empty, result: Joi.object({ at: isoDateTime.required() }) },
  "unit.info": {
    payload: empty,
    result: Joi.object({ unitId: ref.required(), softwareVersion: Joi.string().min(1).max(64).required() }),
  },
  "appointment.create": {
    payload: Joi.object({
      patientRef: ref.required(),
      start: isoDateTime.required(),
      end: isoDateTime.required(),
      practitionerRef: ref,
      reason: shortText,
    }),
    result: appointmentResult,
  },
  "appointment.reschedule": {
    payload: Joi.object({ appointmentId: ref.required(), start: isoDateTime.required(), end: isoDateTime.required() }),
    result: appointmentResult,
  },
  "appointment.cancel": {
    payload: Joi.object({ appointmentId: ref.required(), reason: shortText }),
    result: appointmentResult,
  },
  "registration.create": {
    payload: Joi.object({ patientRef: ref.required(), visitType: Joi.string().max(64), arrivedAt: isoDateTime }),
    result: Joi.object({ registrationId: ref.required(), queueNumber: Joi.number().integer().min(0) }),
  },
  "payment.create": {
    payload: Joi.object({ referenceId: ref.required(), amount: amount.required(), method: Joi.string().max(64) }),
    result: Joi.object({ paymentId: ref.required(), status: status.required() }),
  },
};

export const EVENT_SCHEMAS: Readonly<Record<EventType, Joi.ObjectSchema>> = {
  "appointment.created": appointmentEvent,
  "appointment.updated": appointmentEvent,
  "appointment.cancelled": Joi.object({
    appointmentId: ref.required(),
    cancelledAt: isoDateTime.required(),
    reason: shortText,
  }),
  "registration.created": registrationEvent,
  "registration.updated": registrationEvent,
  "payment.completed": Joi.object({
    paymentId: ref.required(),
    referenceId: ref.required(),
    amount: amount.required(),
    at: isoDateTime.required(),
  }),
  "payment.failed": Joi.object({
    paymentId: ref.required(),
    referenceId: ref.required(),
    reason: shortText.required(),
    at: isoDateTime.required(),
  }),
};
