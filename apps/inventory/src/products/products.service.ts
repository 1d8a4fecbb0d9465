import { Inject, Injectable } from '@nestjs/common';
import { SkuQuantity } from '@shop/contracts';
import { DATABASE, Database, Transaction } from '@shop/persistence';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { Product, products } from './product.schema';

/** Stock levels: read for HTTP, locked and moved inside a handler's transaction. */
@Injectable()
export class ProductsService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  list(): Promise<Product[]> {
    return this.db.select().from(products).orderBy(asc(products.sku));
  }

  async find(sku: string): Promise<Product | null> {
    const [product] = await this.db.select().from(products).where(eq(products.sku, sku));
    return product ?? null;
  }

  /**
   * Locks the rows of these skus until the transaction ends and returns their stock. Every
   * writer locks in sku order, so two transactions wanting the same rows queue instead of
   * deadlocking; a waiter then reads the stock as the one before it left it.
   */
  async lockStock(tx: Transaction, skus: string[]): Promise<Map<string, number>> {
    if (skus.length === 0) return new Map();
    const rows = await tx
      .select({ sku: products.sku, stock: products.stock })
      .from(products)
      .where(inArray(products.sku, skus))
      .orderBy(asc(products.sku))
      .for('update');
    return new Map(rows.map((row) => [row.sku, row.stock]));
  }

  /** Takes units from stock; call with the rows locked by `lockStock`. */
  take(tx: Transaction, items: SkuQuantity[]): Promise<void> {
    return this.adjust(tx, items, -1);
  }

  /** Puts units back; call with the rows locked by `lockStock`. */
  putBack(tx: Transaction, items: SkuQuantity[]): Promise<void> {
    return this.adjust(tx, items, 1);
  }

  private async adjust(tx: Transaction, items: SkuQuantity[], direction: 1 | -1): Promise<void> {
    for (const { sku, quantity } of items) {
      await tx
        .update(products)
        .set({ stock: sql`${products.stock} + ${direction * quantity}` })
        .where(eq(products.sku, sku));
    }
  }
}
