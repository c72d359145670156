/**
 * WebSocket frame masking runs in `bufferutil`'s native code, for the server's `ws` and for the
 * SDK's (engine.io-client's) `ws`: `ws` requires `bufferutil` from its own location and silently
 * keeps its JavaScript byte loop when that fails, and `bufferutil` itself silently falls back to a
 * JavaScript version when its prebuilt binary does not load. Either fallback would only be slower,
 * so nothing else would notice it.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { expect } from "chai";

interface MaskFunctions {
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
  unmask(buffer: Buffer, mask: Buffer): void;
}

const fromTest = createRequire(import.meta.url);

/** `ws` as the package that owns it loads it (socket.io's engine.io, socket.io-client's engine.io-client). */
function wsDirectoryOf(owner: string, via: string): string {
  const ownerRequire = createRequire(fromTest.resolve(via));
  const engineRequire = createRequire(ownerRequire.resolve(owner));
  // ws's main file (index.js) sits at its package root.
  return dirname(engineRequire.resolve("ws"));
}

function bufferUtilSeenBy(wsDirectory: string): { native: MaskFunctions; fallback: MaskFunctions } {
  const wsRequire = createRequire(`${wsDirectory}/index.js`);
  const bufferUtilRequire = createRequire(wsRequire.resolve("bufferutil"));
  return { native: wsRequire("bufferutil") as MaskFunctions, fallback: bufferUtilRequire("./fallback.js") as MaskFunctions };
}

describe("WebSocket masking in native code (bufferutil)", () => {
  const owners = [
    { side: "server (socket.io → engine.io)", owner: "engine.io", via: "socket.io" },
    { side: "SDK (socket.io-client → engine.io-client)", owner: "engine.io-client", via: "socket.io-client" },
  ];
  for (const { side, owner, via } of owners) {
    it(`is what ws loads on the ${side}, and masks as RFC 6455 says`, () => {
      const { native, fallback } = bufferUtilSeenBy(wsDirectoryOf(owner, via));
      expect(native, "bufferutil fell back to JavaScript: its prebuilt binary did not load").to.not.equal(fallback);
      const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
      const plain = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff));
      const expected = Buffer.from(plain.map((byte, i) => byte ^ (key[i & 3] as number)));
      const masked = Buffer.alloc(plain.length + 3);
      native.mask(plain, key, masked, 3, plain.length);
      expect(masked.subarray(3).equals(expected)).to.equal(true);
      const roundTrip = Buffer.from(expected);
      native.unmask(roundTrip, key);
      expect(roundTrip.equals(plain)).to.equal(true);
    });
  }
});
