/** The catalog's SKU shape; inventory checks it on its own so it needs no catalog call. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
