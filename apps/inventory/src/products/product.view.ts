import { Product } from './product.schema';

/** A product and its stock as the API shows it. */
export function productView(product: Product) {
  return { sku: product.sku, name: product.name, stock: product.stock };
}
