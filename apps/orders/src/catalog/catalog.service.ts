import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database } from '@shop/persistence';
import { inArray } from 'drizzle-orm';
import { Product, products } from './product.schema';

@Injectable()
export class CatalogService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async findBySkus(skus: string[]): Promise<Map<string, Product>> {
    const found = await this.db.select().from(products).where(inArray(products.sku, skus));
    return new Map(found.map((product) => [product.sku, product]));
  }
}
