/** Every code in shared/ is documented in docs/protocol.md (fastify's errors-documented check). */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { ClientErrorCode, ConnectErrorCode, DisconnectCode, ERROR_MESSAGES, ErrorCode, EventName } from "@care-gateway/shared";

const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");

describe("docs: codes and events", () => {
  for (const [group, codes] of Object.entries({ ErrorCode, ConnectErrorCode, DisconnectCode, ClientErrorCode })) {
    it(`documents every ${group}`, () => {
      for (const code of Object.values(codes)) {
        expect(doc, code).to.match(new RegExp(`\\| \`${code}\` \\|`));
        expect(ERROR_MESSAGES[code as keyof typeof ERROR_MESSAGES], code).to.be.a("string");
      }
    });
  }

  it("documents every event name", () => {
    for (const name of Object.values(EventName)) expect(doc, name).to.include(`\`${name}\``);
  });
});
