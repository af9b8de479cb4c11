import { DomainError } from '#platform';

/** The file as a whole cannot be read: no header, not JSON, unknown columns. */
export class UnreadableImportError extends DomainError {
  constructor(detail: string) {
    super('CATALOG.IMPORT_UNREADABLE', 'bad_request', detail);
  }
}
