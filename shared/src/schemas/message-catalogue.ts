/**
 * The runtime message catalogue: one registry of request and event types with their schemas,
 * compiled once at start-up. A deployment registers its own types before the gateway starts.
 */
import type Joi from "joi";
import { EVENT_SCHEMAS, REQUEST_SCHEMAS, type RequestSchemas } from "./catalogue-schemas.js";
import { LENIENT, STRICT, runSchema, unknownType, type Validated } from "./validation.js";

/** Which way an event travels: downstream (to a unit, strict) or upstream (from a unit, lenient). */
export type Direction = "downstream" | "upstream";

export class MessageCatalogue {
  readonly #requests = new Map<string, RequestSchemas>();
  readonly #events = new Map<string, Joi.ObjectSchema>();

  defineRequest(type: string, schemas: RequestSchemas): this {
    if (this.#requests.has(type)) throw new Error(`request type ${type} is already defined`);
    this.#requests.set(type, schemas);
    return this;
  }

  defineEvent(type: string, payload: Joi.ObjectSchema): this {
    if (this.#events.has(type)) throw new Error(`event type ${type} is already defined`);
    this.#events.set(type, payload);
    return this;
  }

  requestTypes(): string[] {
    return [...this.#requests.keys()];
  }

  eventTypes(): string[] {
    return [...this.#events.keys()];
  }

  hasRequest(type: string): boolean {
    return this.#requests.has(type);
  }

  hasEvent(type: string): boolean {
    return this.#events.has(type);
  }

  /** A request payload on its way to a unit: strict. */
  checkRequestPayload<T = unknown>(type: string, payload: unknown): Validated<T> {
    const schemas = this.#requests.get(type);
    return schemas ? runSchema<T>(schemas.payload, payload, STRICT) : unknownType();
  }

  /** A unit's result: must have the catalogue's fields, may carry more. */
  checkRequestResult<T = unknown>(type: string, result: unknown): Validated<T> {
    const schemas = this.#requests.get(type);
    return schemas ? runSchema<T>(schemas.result, result, LENIENT) : unknownType();
  }

  checkEventPayload<T = unknown>(type: string, payload: unknown, direction: Direction): Validated<T> {
    const schema = this.#events.get(type);
    return schema ? runSchema<T>(schema, payload, direction === "downstream" ? STRICT : LENIENT) : unknownType();
  }
}

/** A catalogue holding version 1 of the protocol's types. */
export function createDefaultCatalogue(): MessageCatalogue {
  const catalogue = new MessageCatalogue();
  for (const [type, schemas] of Object.entries(REQUEST_SCHEMAS)) catalogue.defineRequest(type, schemas);
  for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) catalogue.defineEvent(type, schema);
  return catalogue;
}
