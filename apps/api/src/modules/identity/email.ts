/** One spelling per mailbox for uniqueness and lookups: trimmed, lower-cased. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
