import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { Product } from './product.schema';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Every product with its stock, by sku. */
  @Get()
  async list() {
    return (await this.products.list()).map(toResponse);
  }

  @Get(':sku')
  async get(@Param('sku') sku: string) {
    const product = await this.products.find(sku);
    if (!product) throw new NotFoundException(`unknown sku "${sku}"`);
    return toResponse(product);
  }
}

function toResponse(product: Product) {
  return { sku: product.sku, name: product.name, stock: product.stock };
}
