import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import { GetCustomer } from '../application/customers/get-customer';
import { GetOrCreateCustomer } from '../application/customers/get-or-create-customer';
import { CLOCK, type Clock } from '../application/ports/clock';
import { CUSTOMER_GATEWAY, type CustomerGateway } from '../application/ports/customer-gateway';
import { CUSTOMER_REPOSITORY, type CustomerRepository } from '../application/ports/customer-repository';
import { DynamoCustomerRepository } from '../adapters/dynamodb/dynamo-customer-repository';
import type { StripeCaller } from '../adapters/stripe/stripe-call';
import { StripeCustomerGateway } from '../adapters/stripe/stripe-customer-gateway';
import type { Config } from '../config';
import { DYNAMODB } from './aws';
import { STRIPE } from './stripe';

/** Customers: the customers table and Stripe customers. Needs the platform, aws and stripe modules. */
export const customersModule = (config: Config<'STRIPE_CUSTOMERS_TABLE'>) =>
  new ContainerModule(({ bind }) => {
    bind<CustomerRepository>(CUSTOMER_REPOSITORY).toResolvedValue(
      (client: DynamoDBClient) => new DynamoCustomerRepository(client, config.STRIPE_CUSTOMERS_TABLE),
      [DYNAMODB],
    );
    bind<CustomerGateway>(CUSTOMER_GATEWAY).toResolvedValue((stripe: StripeCaller) => new StripeCustomerGateway(stripe), [STRIPE]);
    bind(GetOrCreateCustomer).toResolvedValue(
      (customers: CustomerRepository, gateway: CustomerGateway, clock: Clock) => new GetOrCreateCustomer(customers, gateway, clock),
      [CUSTOMER_REPOSITORY, CUSTOMER_GATEWAY, CLOCK],
    );
    bind(GetCustomer).toResolvedValue((customers: CustomerRepository) => new GetCustomer(customers), [CUSTOMER_REPOSITORY]);
  });
