/**
 * The runtime message catalogue: one registry of request and event types with their schemas,
 * compiled once at start-up (each with the options it is always checked with: see `compileSchema`).
 * A deployment registers its own types before the gateway starts.
 */
import type Joi from "joi";
import { EVENT_SCHEMAS, REQUEST_SCHEMAS, type RequestSchemas } from "./catalogue-schemas.js";
import { LENIENT, STRICT, compileSchema, unknownType, type CompiledSchema, type Validated } from "./validation.js";

/** Which way an event travels: downstream (to a unit, strict) or upstream (from a unit, lenient). */
export type Direction = "downstream" | "upstream";

/** A request type's schemas compiled with the options they are always checked with. */
interface CompiledRequest {
  /** Strict: what goes to a unit. */
  payload: CompiledSchema;
  /** Lenient: what a unit answers may carry more. */
  result: CompiledSchema;
}

/** An event type's payload schema compiled for each direction. */
interface CompiledEvent {
  downstream: CompiledSchema;
  upstream: CompiledSchema;
}

export class MessageCatalogue {
  readonly #requests = new Map<string, CompiledRequest>();
  readonly #events = new Map<string, CompiledEvent>();

  defineRequest(type: string, schemas: RequestSchemas): this {
    if (this.#requests.has(type)) throw new Error(`request type ${type} is already defined`);
    this.#requests.set(type, { payload: compileSchema(schemas.payload, STRICT), result: compileSchema(schemas.result, LENIENT) });
    return this;
  }

  defineEvent(type: string, payload: Joi.ObjectSchema): this {
    if (this.#events.has(type)) throw new Error(`event type ${type} is already defined`);
    this.#events.set(type, { downstream: compileSchema(payload, STRICT), upstream: compileSchema(payload, LENIENT) });
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
    const compiled = this.#requests.get(type);
    return compiled ? compiled.payload<T>(payload) : unknownType();
  }

  /** A unit's result: must have the catalogue's fields, may carry more. */
  checkRequestResult<T = unknown>(type: string, result: unknown): Validated<T> {
    const compiled = this.#requests.get(type);
    return compiled ? compiled.result<T>(result) : unknownType();
  }

  checkEventPayload<T = unknown>(type: string, payload: unknown, direction: Direction): Validated<T> {
    const compiled = this.#events.get(type);
    return compiled ? compiled[direction]<T>(payload) : unknownType();
  }
}

/** A catalogue holding version 1 of the protocol's types. */
export function createDefaultCatalogue(): MessageCatalogue {
  const catalogue = new MessageCatalogue();
  for (const [type, schemas] of Object.entries(REQUEST_SCHEMAS)) catalogue.defineRequest(type, schemas);
  for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) catalogue.defineEvent(type, schema);
  return catalogue;
}
