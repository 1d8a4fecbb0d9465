import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { productView } from './product.view';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Every product with its stock, by sku. */
  @Get()
  async list() {
    return (await this.products.list()).map(productView);
  }

  @Get(':sku')
  async get(@Param('sku') sku: string) {
    const product = await this.products.find(sku);
    if (!product) throw new NotFoundException(`unknown sku "${sku}"`);
    return productView(product);
  }
}
