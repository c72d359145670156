/**
 * The message catalogue as TypeScript types: what the SDK and the server are generic over.
 *
 * A deployment adds its own types without forking by declaration merging:
 *
 *   declare module "@care-gateway/shared" {
 *     interface RequestCatalogue { "lab.order": { payload: { orderRef: string }; result: { accepted: boolean } } }
 *   }
 *
 * and by registering the matching Joi schemas at start-up (see `@care-gateway/shared/schemas`).
 */

/** An amount of money in minor units (cents), with an ISO 4217 currency code. */
export interface Amount {
  value: number;
  currency: string;
}

/** An ISO 8601 date-time string. */
export type IsoDateTime = string;

export interface AppointmentResult {
  appointmentId: string;
  status: string;
}

export interface RequestCatalogue {
  "unit.ping": { payload: Record<string, never>; result: { at: IsoDateTime } };
  "unit.info": { payload: Record<string, never>; result: { unitId: string; softwareVersion: string } };
  "appointment.create": {
    payload: { patientRef: string; start: IsoDateTime; end: IsoDateTime; practitionerRef?: string; reason?: string };
    result: AppointmentResult;
  };
  "appointment.reschedule": {
    payload: { appointmentId: string; start: IsoDateTime; end: IsoDateTime };
    result: AppointmentResult;
  };
  "appointment.cancel": { payload: { appointmentId: string; reason?: string }; result: AppointmentResult };
  "registration.create": {
    payload: { patientRef: string; visitType?: string; arrivedAt?: IsoDateTime };
    result: { registrationId: string; queueNumber?: number };
  };
  "payment.create": {
    payload: { referenceId: string; amount: Amount; method?: string };
    result: { paymentId: string; status: string };
  };
}

export interface AppointmentEvent {
  appointmentId: string;
  patientRef: string;
  start: IsoDateTime;
  end: IsoDateTime;
  status: string;
}

export interface RegistrationEvent {
  registrationId: string;
  patientRef: string;
  status: string;
  at: IsoDateTime;
}

export interface EventCatalogue {
  "appointment.created": AppointmentEvent;
  "appointment.updated": AppointmentEvent;
  "appointment.cancelled": { appointmentId: string; cancelledAt: IsoDateTime; reason?: string };
  "registration.created": RegistrationEvent;
  "registration.updated": RegistrationEvent;
  "payment.completed": { paymentId: string; referenceId: string; amount: Amount; at: IsoDateTime };
  "payment.failed": { paymentId: string; referenceId: string; reason: string; at: IsoDateTime };
}

export type RequestType = keyof RequestCatalogue & string;
export type RequestPayload<T extends RequestType> = RequestCatalogue[T]["payload"];
export type RequestResult<T extends RequestType> = RequestCatalogue[T]["result"];

export type EventType = keyof EventCatalogue & string;
export type EventPayload<T extends EventType> = EventCatalogue[T];
