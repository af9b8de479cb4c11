/** Seconds of clock skew every verifier allows on `exp` and `nbf` (so a token is accepted this long past its expiry). */
export const CLOCK_TOLERANCE_S = 5;
