/**
 * @care-gateway/shared: the contract between the gateway, its SDK and outside clients.
 * Safe for browsers: no Node built-ins and no Joi here (schemas live at `@care-gateway/shared/schemas`).
 */
export * from "./error-codes.js";
export * from "./names.js";
export * from "./replies.js";
export * from "./catalogue-types.js";
export * from "./envelopes.js";
export * from "./event-maps.js";
export * from "./event-ids.js";
export * from "./backoff.js";
