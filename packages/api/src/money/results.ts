/**
 * What reading a person's input gives back. Junk is never NaN or a throw: it is `ok: false` with a
 * sentence the grid can show beside the cell. An empty cell is its own kind, so the grid can clear
 * the cell instead of storing zero.
 */
export type Refused = { ok: false; reason: string };
export type Empty = { ok: true; kind: 'empty' };
export type ParseResult = { ok: true; kind: 'amount'; minor: bigint } | Refused;
export type PercentResult = { ok: true; kind: 'percent'; fraction: string } | Refused;
export type RateResult = { ok: true; kind: 'rate'; rate: string } | Refused;

/** An amount and its currency, for the places where amounts of several currencies meet. */
export type Money = { minor: bigint; currency: string };
