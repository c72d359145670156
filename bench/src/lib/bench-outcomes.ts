/**
 * The codes the bench counts a request, publish or fan-out under when it did not end with an answer
 * of the server's own (whose error codes are shared/'s `ErrorCode`): the bench's own bound passed, a
 * reply that was not a reply, an HTTP connection lost or a response that could not be read.
 */
export const BenchOutcome = {
  clientTimeout: "CLIENT_TIMEOUT",
  malformedReply: "MALFORMED_REPLY",
  httpError: "HTTP_ERROR",
  httpMalformed: "HTTP_MALFORMED",
} as const;
export type BenchOutcome = (typeof BenchOutcome)[keyof typeof BenchOutcome];
