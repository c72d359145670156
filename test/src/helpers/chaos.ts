/** Drops a unit's connection at random moments (every `minMs`–`maxMs`) until stopped: the stimulus of chaos tests. */
export interface Chaos {
  /** Stops; resolves with how many blinks there were. */
  stop(): number;
}

export function blinkRandomly(blink: () => void, minMs: number, maxMs: number): Chaos {
  let blinks = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(() => {
      blink();
      blinks++;
      next();
    }, minMs + Math.floor(Math.random() * (maxMs - minMs)));
  };
  next();
  return {
    stop() {
      clearTimeout(timer);
      return blinks;
    },
  };
}
