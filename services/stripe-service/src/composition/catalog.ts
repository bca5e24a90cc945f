import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ContainerModule } from 'inversify';
import { SyncCatalog } from '../application/catalog/sync-catalog';
import { SyncProductPrice } from '../application/catalog/sync-product-price';
import { CATALOG_GATEWAY, type CatalogGateway } from '../application/ports/catalog-gateway';
import { CATALOG_REPOSITORY, type CatalogRepository } from '../application/ports/catalog-repository';
import { CLOCK, type Clock } from '../application/ports/clock';
import { DynamoCatalogRepository } from '../adapters/dynamodb/dynamo-catalog-repository';
import type { StripeCaller } from '../adapters/stripe/stripe-call';
import { StripeCatalogGateway } from '../adapters/stripe/stripe-catalog-gateway';
import type { Config } from '../config';
import { DYNAMODB } from './aws';
import { STRIPE } from './stripe';

/** Catalog: the products and prices tables and their Stripe copies. Needs the platform, aws and stripe modules. */
export const catalogModule = (config: Config<'PRODUCTS_TABLE' | 'PRICES_TABLE'>) =>
  new ContainerModule(({ bind }) => {
    bind<CatalogRepository>(CATALOG_REPOSITORY).toResolvedValue(
      (client: DynamoDBClient) => new DynamoCatalogRepository(client, config.PRODUCTS_TABLE, config.PRICES_TABLE),
      [DYNAMODB],
    );
    bind<CatalogGateway>(CATALOG_GATEWAY).toResolvedValue((stripe: StripeCaller) => new StripeCatalogGateway(stripe), [STRIPE]);
    bind(SyncProductPrice).toResolvedValue(
      (catalog: CatalogRepository, gateway: CatalogGateway, clock: Clock) => new SyncProductPrice(catalog, gateway, clock),
      [CATALOG_REPOSITORY, CATALOG_GATEWAY, CLOCK],
    );
    bind(SyncCatalog).toResolvedValue((catalog: CatalogRepository, sync: SyncProductPrice) => new SyncCatalog(catalog, sync), [CATALOG_REPOSITORY, SyncProductPrice]);
  });
