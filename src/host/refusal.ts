/** A run refused before it starts (program unusable, policy broken): it ends as `invalid` with this message. */
export class Refusal extends Error {}
