// A bound on the work the server takes on at once. At most `concurrency` requests are served
// together; up to `queueLength` more wait their turn, each at most `maxWaitMs`; the rest are
// refused at once. A server that queues without bound answers everyone late (measured before this
// existed: 200 concurrent sign-in page loads, the slowest waiting 15–17 s); one that refuses early
// answers the overflow in milliseconds with 503 and Retry-After, and everyone else in time.

export interface GateOptions {
  readonly concurrency: number;
  readonly queueLength: number;
  readonly maxWaitMs: number;
}

export interface Gate {
  /** Resolves true when the caller may go on (it must call `release` once done), false when refused. */
  enter(): Promise<boolean> | boolean;
  release(): void;
  readonly active: number;
  readonly waiting: number;
}

interface Waiter {
  readonly resolve: (admitted: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export function createGate({ concurrency, queueLength, maxWaitMs }: GateOptions): Gate {
  let active = 0;
  const queue: Waiter[] = [];

  return {
    enter() {
      if (active < concurrency) {
        active += 1;
        return true;
      }
      if (queue.length >= queueLength) return false;
      return new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          resolve,
          timer: setTimeout(() => {
            const index = queue.indexOf(waiter);
            if (index >= 0) queue.splice(index, 1);
            resolve(false);
          }, maxWaitMs),
        };
        queue.push(waiter);
      });
    },
    release() {
      const next = queue.shift();
      if (next) {
        // The slot passes straight to the oldest waiter: `active` stays the same.
        clearTimeout(next.timer);
        next.resolve(true);
      } else {
        active -= 1;
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
