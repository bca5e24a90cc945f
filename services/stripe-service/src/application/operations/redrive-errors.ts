import { DomainError } from '@shared/errors/domain-error';
import type { RedriveMethod } from '../ports/dead-letter-redriver';

/** The operator asked for a way of moving that this endpoint lacks (an emulator without move tasks). */
export class RedriveMethodUnsupportedError extends DomainError {
  constructor(method: RedriveMethod) {
    super('conflict', 'redrive_method_unsupported', `This queue endpoint cannot redrive with ${method}; use receive_send_delete or let the method be chosen.`);
  }
}

/** A move task moves every message; a limit can only be kept by moving them one batch at a time. */
export class RedriveLimitUnsupportedError extends DomainError {
  constructor(method: RedriveMethod) {
    super('validation', 'redrive_limit_unsupported', `${method} moves every message; a limit needs receive_send_delete.`);
  }
}
