/** @care-gateway/shared/schemas: Joi schemas for the catalogue and envelopes. Server side only (pulls in Joi). */
export * from "./fields.js";
export * from "./catalogue-schemas.js";
export * from "./envelope-guards.js";
export * from "./described-checks.js";
export * from "./envelope-schemas.js";
export * from "./validation.js";
export * from "./message-catalogue.js";
