/** Time is injected everywhere: production reads the system clock, tests and the sandbox move their own. */
export interface Clock {
  now(): Date;
}
