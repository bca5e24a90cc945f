import { DomainError, NotFoundError } from '@shared/errors/domain-error';

export class PriceNotFoundError extends NotFoundError {
  constructor() {
    super('No such price.', 'price_not_found');
  }
}

/** The price exists but cannot be sold: inactive, or its product is missing or inactive. */
export class PriceNotPurchasableError extends DomainError {
  constructor(reason: string) {
    super('conflict', 'price_not_purchasable', `The price cannot be purchased: ${reason}.`);
  }
}
